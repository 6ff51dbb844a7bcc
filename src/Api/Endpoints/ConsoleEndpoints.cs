using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;

namespace CustomerGrains.Api.Endpoints;

/// <summary>
/// The web console for marketers (ARCHITECTURE: Web console): static files under <c>/console</c>, served from
/// <c>wwwroot/console</c> beside the binary as they are in the repository (plain JavaScript modules, no build step), and
/// <c>GET /v1/keys/me</c>, the route it signs in with — any client may use it to learn its key's store and scopes. The
/// files need no key (they hold no data); every figure they show comes from the API with the key the person typed.
/// </summary>
public static class ConsoleEndpoints
{
    public const string RequestPath = "/console";

    // The key lives in the tab's sessionStorage, so script injection is what must not happen: only our own files may
    // run, no inline script or style, no other origin is contacted, and no other site may frame the console.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapGet("/v1/keys/me", Me).WithTags("Keys").RequireAnyKey()
            .WithSummary("The presented key's store and scopes → {store, scopes}; any valid key may ask.");

        var folder = Path.Combine(app.Environment.ContentRootPath, "wwwroot", "console");
        if (!Directory.Exists(folder))
        {
            app.Logger.LogWarning("The web console's files are not at {Folder}; {Path} is not served", folder, RequestPath);
            return app;
        }

        app.UseFileServer(new FileServerOptions
        {
            RequestPath = ConsoleEndpoints.RequestPath,
            FileProvider = new PhysicalFileProvider(folder),
            StaticFileOptions = { OnPrepareResponse = file => Harden(file.Context.Response.Headers) },
        });
        return app;
    }

    private static Ok<KeyIdentityResponse> Me(HttpContext context)
    {
        var caller = ApiCaller.Of(context);
        return TypedResults.Ok(new KeyIdentityResponse(caller.Store, [.. caller.Scopes.Order(StringComparer.Ordinal)]));
    }

    private static void Harden(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // A new release's files are picked up at once; they are small and revalidated by ETag.
        headers.CacheControl = "no-cache";
    }
}
