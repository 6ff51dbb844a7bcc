using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// A store's web page, served by the test from loopback on a port of its own, so the page's origin is not the Api's:
/// a real cross-origin set-up. It serves an empty shop page and the tracking libraries' browser bundles as installed
/// from npm: Segment's analytics-next (<c>/analytics-next/bundles/…</c>, where the bundle looks for its lazy chunks
/// when <c>window.analytics._cdn</c> is the page's origin) and RudderStack's bundled SDK (<c>/rudderstack.js</c>).
/// </summary>
public sealed class BrowserTrackingPages : IAsyncDisposable
{
    private const string Page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>A shop</title>
        <script>window.analytics = { _cdn: location.origin };</script>
        </head><body><h1>A shop</h1></body></html>
        """;

    private readonly WebApplication _app;

    private BrowserTrackingPages(WebApplication app, int port) => (_app, Port) = (app, port);

    public int Port { get; }

    /// <summary>The page's origin as configured for the store: <c>http://127.0.0.1:port</c>.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>The same server under another name, so another origin (<c>http://localhost:port</c>) no store allows.</summary>
    public string OtherOrigin => $"http://localhost:{Port}";

    public static async Task<BrowserTrackingPages> StartAsync(string segmentFolder, string rudderStackFolder)
    {
        var port = int.Parse(Infrastructure.HostProcess.FreePortText(), System.Globalization.CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        // "localhost" listens on both loopback addresses: the page is reached as 127.0.0.1 and as localhost.
        builder.WebHost.UseUrls($"http://localhost:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var segmentBundles = Path.Combine(segmentFolder, "node_modules", "@segment", "analytics-next", "dist", "umd");
        var rudderStack = Path.Combine(rudderStackFolder, "node_modules", "@rudderstack", "analytics-js", "dist", "npm", "modern", "bundled", "umd", "index.js");
        app.MapGet("/shop.html", () => Results.Content(Page, "text/html; charset=utf-8"));
        app.MapGet("/rudderstack.js", () => Results.File(rudderStack, "text/javascript"));
        app.MapGet("/analytics-next/bundles/{file}", (string file) =>
            Path.GetFileName(file) == file && File.Exists(Path.Combine(segmentBundles, file))
                ? Results.File(Path.Combine(segmentBundles, file), "text/javascript")
                : Results.NotFound());
        await app.StartAsync();
        return new BrowserTrackingPages(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
