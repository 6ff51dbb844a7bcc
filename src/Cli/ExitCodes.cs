namespace CustomerGrains.Cli;

/// <summary>
/// What a script can test after a command (README "Admin CLI"). Each failure the API can answer maps to one code by its
/// HTTP status, so a script can tell "fix the input" from "try again later".
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command line is wrong, a local file cannot be read or written, or the configuration is malformed.</summary>
    public const int Usage = 1;

    /// <summary>404: the segment, customer, key or suppression does not exist.</summary>
    public const int NotFound = 2;

    /// <summary>401 or 403: no valid key, another store's key, or a key without the scope the route needs.</summary>
    public const int Auth = 3;

    /// <summary>400, 409, 413, 415, 422: the API refused the request as invalid or conflicting (a rule with a syntax error); an import's bad line.</summary>
    public const int Refused = 4;

    /// <summary>The API could not be reached, timed out, or answered 429 or 5xx: the same command may succeed later.</summary>
    public const int Unavailable = 5;

    /// <summary><c>reconcile</c> found segments whose members differ from a recount.</summary>
    public const int Inconsistent = 6;

    /// <summary>Ctrl+C (or SIGTERM) stopped the command.</summary>
    public const int Interrupted = 130;

    public static int ForStatus(int status) => status switch
    {
        404 => NotFound,
        401 or 403 => Auth,
        429 or >= 500 => Unavailable,
        _ => Refused,
    };
}
