using CustomerGrains.Api.Tests.Infrastructure;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>The browser tests' own ground: the system Chromium starts headless and runs a page's script.</summary>
public sealed class BrowserSetupTests(Infrastructure.Browser browser) : IClassFixture<Infrastructure.Browser>
{
    [Fact]
    public async Task The_system_chromium_runs_a_page()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<p id='out'></p><script>document.getElementById('out').textContent = String(6 * 7);</script>");
        Assert.Equal("42", await page.TextContentAsync("#out"));
        Assert.Contains("Chrome/156", await page.EvaluateAsync<string>("navigator.userAgent"), StringComparison.Ordinal);
    }
}
