using CustomerGrains.Contracts.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api;

/// <summary>RFC 9457 problem details for every error the Api returns.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request", extensions: extensions);

    /// <summary>
    /// 400 listing every reason (<c>errors: [{index, field, reason}]</c>); a rule's syntax error adds <c>position</c>, the
    /// 0-based offset in the rule's text, which no other error has.
    /// </summary>
    public static ProblemHttpResult Invalid(string detail, IEnumerable<FieldError> errors) =>
        BadRequest(
            $"{detail}: {string.Join("; ", errors.Take(5).Select(e => e.Index is { } i ? $"event {i}: {e.Field} {e.Reason}" : $"{e.Field} {e.Reason}"))}",
            new Dictionary<string, object?>
            {
                ["errors"] = errors.Select(e => e.Position is { } position
                    ? (object)new { e.Index, e.Field, e.Reason, Position = position }
                    : new { e.Index, e.Field, e.Reason }).ToList(),
            });

    public static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem("send 'Authorization: Bearer <key>' with a valid API key", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");

    public static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");

    public static ProblemHttpResult TooManyRequests() =>
        TypedResults.Problem("this key sent more requests than its rate limit allows; retry after the time in Retry-After", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");

    /// <summary>A defect of ours, never of the request.</summary>
    public static ProblemHttpResult Internal(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status500InternalServerError, title: "Internal error");

    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem("send a JSON body with 'Content-Type: application/json'", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
}
