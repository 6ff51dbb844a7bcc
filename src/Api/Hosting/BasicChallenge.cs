namespace CustomerGrains.Api.Hosting;

/// <summary>
/// Endpoint metadata: a 401 from these routes challenges with <c>Basic</c>, so a browser asks for the key itself (user name:
/// the key, password: empty) and sends it with every request of the pages after. The key check is the usual one
/// (<see cref="Auth.ApiKeyMiddleware"/> reads the basic-auth user name); only the challenge changes.
/// </summary>
public sealed record BasicChallenge(string Realm)
{
    /// <summary>Before the key check: rewrites its challenge on the way out for routes that carry this metadata.</summary>
    public static async Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<BasicChallenge>() is { } challenge)
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
                {
                    context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{challenge.Realm}\", charset=\"UTF-8\"";
                }

                return Task.CompletedTask;
            });
        }

        await next(context);
    }
}
