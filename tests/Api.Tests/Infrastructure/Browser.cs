using System.Diagnostics;
using Microsoft.Playwright;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// Headless Chromium driven by Playwright: Debian's <c>chromium</c> (installed by <c>scripts/browser.sh</c>), never a
/// browser download of Playwright's own. One browser per test class (<c>IClassFixture</c>); each test opens its own
/// context, so tabs share no storage.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where screenshots are kept as test artefacts (<c>tests/Api.Tests/bin/…/artefacts</c>).</summary>
    public static string Artefacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artefacts")).FullName;

    public IBrowser Chromium => _browser ?? throw new InvalidOperationException("the browser has not started");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath(), Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh context (its own cookies and storage) on a window of the given size.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900) =>
        Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });

    /// <summary>Saves a full-page screenshot under <see cref="Artefacts"/>; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artefacts, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    // The script prints the browser's path, installing Debian's package first on a machine that lacks it.
    private static string ExecutablePath()
    {
        var script = Path.Combine(RepositoryRoot.Find(), "scripts", "browser.sh");
        using var process = Process.Start(new ProcessStartInfo(script, ["install"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(path)
            ? path
            : throw new InvalidOperationException($"scripts/browser.sh install failed (exit {process.ExitCode}): Chromium is needed for the browser tests");
    }
}
