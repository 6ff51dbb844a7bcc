using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerGrains.Api.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CustomerGrains.Api.Tests.Browser;

/// <summary>
/// The web console end to end, as a marketer uses it: headless Chromium against a real Api process. Every wait is for
/// something on the page (Playwright's expectations poll the page until a deadline); screenshots of each page are kept as
/// artefacts (<see cref="Infrastructure.Browser.Artefacts"/>).
/// </summary>
[Collection(OwnApiCollection.Name)]
public sealed class ConsoleTests(Infrastructure.Browser browser, ConsoleHost host)
    : IClassFixture<Infrastructure.Browser>, IClassFixture<ConsoleHost>
{
    // Generous: the machine is shared, and a count is polled every 2 s.
    private static readonly LocatorAssertionsToHaveTextOptions Patiently = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions Visibly = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToContainTextOptions Containing = new() { Timeout = 30_000 };
    private static readonly Regex AtLeastOne = new("^[1-9][0-9,]*$");

    [Fact]
    public async Task A_marketer_signs_in_writes_a_rule_fixes_it_previews_saves_and_watches_the_count_grow()
    {
        var tag = Tag();
        var (segment, buyer, browserOnly) = ($"repeat-{tag}", $"ana-{tag}", $"bob-{tag}");
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context);
        var faults = Faults(page);

        await SignInAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segments", Exact = true })).ToBeVisibleAsync(Visibly);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-1-segments-empty");

        // The key lives in this tab's sessionStorage, and nowhere that outlives it.
        Assert.Equal(ConsoleHost.Key, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('customergrains.console.key')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await context.CookiesAsync());

        // A rule with a syntax error: the preview points at the spot, and nothing can be counted.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "New segment" }).ClickAsync();
        await page.GetByLabel("Id", new() { Exact = true }).FillAsync(segment);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Repeat buyers {tag}");
        var rule = page.GetByLabel("Rule", new() { Exact = true });
        await rule.FillAsync("orders >= \"two\"");
        var problem = page.Locator("#rule-error");
        await Expect(problem).ToContainTextAsync("Line 1, column 11: expected a number to compare with but found a string", Containing);
        await Expect(problem.Locator("mark")).ToHaveTextAsync("\"two\"", Patiently);
        await Expect(rule).ToHaveAttributeAsync("aria-invalid", "true");
        await Infrastructure.Browser.ScreenshotAsync(page, "console-2-editor-syntax-error");

        // Fixed: the error goes and the preview counts (no one has ordered yet).
        await rule.FillAsync("orders >= 2");
        await Expect(page.Locator("#preview-count")).ToHaveTextAsync("0", Patiently);
        await Expect(problem).ToHaveCountAsync(0);
        await page.GetByText("More settings").ClickAsync();
        await page.GetByLabel("Holdout, % of members kept as a control group").FillAsync("20");

        // Events arrive before the save: the preview, read again, counts them.
        await host.PostEventsAsync(Orders(buyer, tag, 2));
        await rule.FillAsync("orders >= 2 ");
        await Expect(page.Locator("#preview-count")).ToHaveTextAsync("1", Patiently);
        await Expect(page.Locator("#preview").GetByRole(AriaRole.Link, new() { Name = buyer })).ToBeVisibleAsync(Visibly);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-3-editor-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save segment" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Repeat buyers {tag}", Exact = true })).ToBeVisibleAsync(Visibly);
        var count = page.Locator("#segment-count");
        await Expect(count).ToHaveTextAsync("1", Patiently);
        await Expect(page.GetByText("Conversion within 7 days of entering: treated members against the holdout")).ToBeVisibleAsync(Visibly);

        // Events posted through the API while the page is open: the count moves on the page by itself.
        await host.PostEventsAsync(Orders(browserOnly, tag, 2));
        await Expect(count).ToHaveTextAsync("2", Patiently);
        await Expect(page.Locator("figure").Filter(new() { HasText = "Size over time" })).ToBeVisibleAsync(Visibly);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-4-segment");

        // The list shows it too, live, with its sparkline.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Segments" }).ClickAsync();
        var listed = page.Locator($"[data-count='{segment}']");
        await Expect(listed).ToHaveTextAsync("2", Patiently);
        await host.PostEventsAsync(Orders($"cy-{tag}", tag, 3));
        await Expect(listed).ToHaveTextAsync("3", Patiently);
        await Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex($"^Repeat buyers {tag}: size over the last 24 hours") })).ToBeVisibleAsync(Visibly);
        await host.PostEventsAsync("[" + string.Join(",", Enumerable.Range(1, 48).Select(i => Orders($"many-{tag}-{i:00}", tag, 2)[1..^1])) + "]");
        await Expect(listed).ToHaveTextAsync("51", Patiently);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-segments");

        // Members, a page of them, and all of them as CSV.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Repeat buyers {tag}" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = buyer })).ToBeVisibleAsync(Visibly);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-5-members");

        // 51 members at 50 a page: the cursor leads to a second page of one, and back.
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Members, page 1" }).Locator("tbody tr")).ToHaveCountAsync(50);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        var second = page.GetByRole(AriaRole.Region, new() { Name = "Members, page 2" }).Locator("tbody tr");
        await Expect(second).ToHaveCountAsync(1);
        await Expect(second).ToContainTextAsync($"many-{tag}-48", Containing);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = buyer })).ToBeVisibleAsync(Visibly);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        Assert.Equal($"{segment}-members.csv", download.SuggestedFilename);
        var csv = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
        var members = await MembersAsync(segment);
        Assert.Equal(["customerId,enteredAt,cause", .. members.Select(m => $"{m.CustomerId},{m.EnteredAt},{m.Cause}")], csv);
        Assert.Equal(
            [buyer, browserOnly, $"cy-{tag}", .. Enumerable.Range(1, 48).Select(i => $"many-{tag}-{i:00}")],
            members.Select(m => m.CustomerId).Order(StringComparer.Ordinal));

        // A member opens as a customer: profile, traits, classification, segments with when and why, history.
        await page.GetByRole(AriaRole.Link, new() { Name = buyer }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = buyer, Exact = true })).ToBeVisibleAsync(Visibly);
        var memberships = page.GetByRole(AriaRole.Region, new() { Name = "Segments the customer is in" });
        var membership = members.Single(m => m.CustomerId == buyer);
        await Expect(memberships.GetByRole(AriaRole.Row).Filter(new() { HasText = segment })).ToContainTextAsync(membership.Cause, Containing);
        await Expect(page.GetByRole(AriaRole.Definition).Filter(new() { HasText = $"{buyer}@example.com" })).ToBeVisibleAsync(Visibly);
        await Expect(page.Locator("dl[aria-label='Traits']")).ToContainTextAsync("Orders2", Containing);
        await Expect(page.Locator("dl[aria-label='Classification']")).ToContainTextAsync("Lifecyclenew", Containing);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Entries and exits, newest first" }).GetByRole(AriaRole.Row).Filter(new() { HasText = segment }))
            .ToContainTextAsync("entered", Containing);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-6-customer");

        // Classification settings: read, changed, saved; a bad one is refused with its reason.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Classification" }).ClickAsync();
        var newDays = page.GetByLabel("New for (days after the first order)");
        await Expect(newDays).ToHaveValueAsync("30", new() { Timeout = 30_000 });
        await newDays.FillAsync("21");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#classification-status")).ToContainTextAsync("Saved", Containing);
        await page.GetByLabel("Lapsed after (days)").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("lifecycle days must be positive and increase", Containing);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-7-classification");
        using (var client = host.Api.Client(ConsoleHost.Key))
        {
            Assert.Contains("\"newDays\":21", await client.GetStringAsync($"/v1/stores/{ConsoleHost.Store}/classification"), StringComparison.Ordinal);
        }

        Assert.Empty(faults);
    }

    [Fact]
    public async Task A_wrong_key_gets_a_clear_sign_in_error_and_is_not_kept()
    {
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context);
        await page.GetByLabel("API key").FillAsync("cgk_demo_0123456789abcdef_not-a-real-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That API key was not accepted. Check that it is complete and has not been revoked.", Patiently);
        await Expect(page.GetByRole(AriaRole.Navigation)).ToBeHiddenAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "console-0-sign-in-refused");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('customergrains.console.key')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await context.CookiesAsync());

        // Signing out forgets the key; a new tab (another context) was never signed in.
        await SignInAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segments", Exact = true })).ToBeVisibleAsync(Visibly);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync(Visibly);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('customergrains.console.key')"));
    }

    [Fact]
    public async Task With_the_keyboard_alone_a_person_signs_in_writes_a_segment_and_looks_a_customer_up()
    {
        var tag = Tag();
        var customer = $"kay-{tag}";
        await host.PostEventsAsync(Orders(customer, tag, 1));
        await using var context = await browser.NewContextAsync();
        var page = await OpenAsync(context);
        var keys = page.Keyboard;

        // The key field has focus when the page opens.
        await keys.TypeAsync(ConsoleHost.Key);
        await keys.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segments", Exact = true })).ToBeVisibleAsync(Visibly);

        await TabToAsync(page, "New segment");
        await keys.PressAsync("Enter");
        await TabToAsync(page, "Id");
        await keys.TypeAsync($"kb-{tag}");
        await TabToAsync(page, "Rule");
        await keys.TypeAsync("orders >=");
        await Expect(page.Locator("#rule-error")).ToContainTextAsync("Line 1, column 10: expected a field, number or string but found the end of the rule", Containing);
        // Only this test's customer: the store is shared with the other tests of the class.
        await keys.TypeAsync($" 1 and profile.first_name == \"Test {tag}\"");
        await Expect(page.Locator("#preview-count")).ToHaveTextAsync(AtLeastOne, Patiently);
        await TabToAsync(page, "Save segment");
        await keys.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"kb-{tag}", Exact = true })).ToBeVisibleAsync(Visibly);
        await Expect(page.Locator("#segment-count")).ToHaveTextAsync(AtLeastOne, Patiently);

        await TabToAsync(page, "Customers");
        await keys.PressAsync("Enter");
        await Expect(page.GetByLabel("Customer id")).ToBeFocusedAsync();
        await keys.TypeAsync(customer);
        await keys.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = customer, Exact = true })).ToBeVisibleAsync(Visibly);

        // From the customer to a segment it is in, and to that segment's members.
        await TabToAsync(page, $"kb-{tag}");
        await keys.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"kb-{tag}", Exact = true })).ToBeVisibleAsync(Visibly);
        await TabToAsync(page, "Members");
        await keys.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = customer })).ToBeVisibleAsync(Visibly);
        await Infrastructure.Browser.ScreenshotAsync(page, "console-keyboard-members");
    }

    [Fact]
    public async Task On_a_phone_sized_screen_every_page_fits_its_width()
    {
        var tag = Tag();
        var customer = $"pat-{tag}";
        var segment = $"phone-{tag}";
        using (var client = host.Api.Client(ConsoleHost.Key))
        {
            var created = await client.PostAsync($"/v1/stores/{ConsoleHost.Store}/segments", new StringContent(
                $$"""{"id": "{{segment}}", "name": "Phone buyers {{tag}}", "rule": "orders >= 1 and profile.first_name == \"Test {{tag}}\"", "holdout": 10}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await host.PostEventsAsync(Orders(customer, tag, 1));
        await using var context = await browser.NewContextAsync(390, 844);
        var page = await OpenAsync(context);
        await SignInAsync(page);

        var pages = new (string Hash, string Name, ILocator Ready)[]
        {
            ("#/segments", "segments", page.Locator($"[data-count='{segment}']")),
            ($"#/segments/{segment}", "segment", page.GetByText("Conversion within 7 days")),
            ("#/segments/new", "editor", page.GetByLabel("Rule", new() { Exact = true })),
            ($"#/segments/{segment}/members", "members", page.GetByRole(AriaRole.Link, new() { Name = customer })),
            ($"#/customers/{customer}", "customer", page.GetByRole(AriaRole.Heading, new() { Name = "History" })),
            ("#/classification", "classification", page.GetByLabel("Lapsed after (days)")),
        };
        foreach (var (hash, name, ready) in pages)
        {
            await page.GotoAsync(host.Console + hash);
            await Expect(ready).ToBeVisibleAsync(Visibly);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"the {name} page is wider than the screen");
            foreach (var link in await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link).AllAsync())
            {
                var box = await link.BoundingBoxAsync();
                Assert.True(box is { X: >= 0 } && box.X + box.Width <= 390, $"a menu item is off the screen on the {name} page");
            }

            await Infrastructure.Browser.ScreenshotAsync(page, $"console-phone-{name}");
        }
    }

    private async Task<IPage> OpenAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.Console);
        await Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        return page;
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GetByLabel("API key").FillAsync(ConsoleHost.Key);
        await page.GetByLabel("API key").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Navigation)).ToBeVisibleAsync(Visibly);
    }

    /// <summary>
    /// Presses Tab until the element with this accessible name (its label or its text) has focus, and checks that the
    /// focus can be seen (an outline). Fails after 60 presses: the element is not reachable by keyboard.
    /// </summary>
    private static async Task TabToAsync(IPage page, string name)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string[]>(
                """
                () => {
                  const e = document.activeElement;
                  const name = (e.labels && e.labels.length ? e.labels[0].textContent : e.textContent || "").trim();
                  const style = getComputedStyle(e);
                  return [name, style.outlineStyle, style.outlineWidth];
                }
                """);
            if (focused[0] == name)
            {
                Assert.True(focused[1] != "none" && focused[2] != "0px", $"the focus on '{name}' is not visible ({focused[1]} {focused[2]})");
                return;
            }
        }

        Assert.Fail($"'{name}' could not be reached with Tab");
    }

    /// <summary>Script errors and Content-Security-Policy refusals on the page: none is expected.</summary>
    private static List<string> Faults(IPage page)
    {
        var faults = new List<string>();
        page.PageError += (_, error) => faults.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                faults.Add(message.Text);
            }
        };
        return faults;
    }

    /// <summary>The segment's members as the API lists them (one page holds them all here).</summary>
    private async Task<List<(string CustomerId, string EnteredAt, string Cause)>> MembersAsync(string segment)
    {
        using var client = host.Api.Client(ConsoleHost.Key);
        using var page = JsonDocument.Parse(await client.GetStringAsync($"/v1/stores/{ConsoleHost.Store}/segments/{segment}/members?limit=1000"));
        return [.. page.RootElement.GetProperty("items").EnumerateArray().Select(m =>
            (m.GetProperty("customerId").GetString()!, m.GetProperty("enteredAt").GetString()!, m.GetProperty("cause").GetString()!))];
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>An identify and <paramref name="orders"/> orders of one customer, stamped a minute apart before now.</summary>
    private static string Orders(string customer, string tag, int orders)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-orders - 1);
        var events = new List<string>
        {
            $$$"""{"id": "i-{{{customer}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "{{{Stamp(now)}}}", "properties": {"email": "{{{customer}}}@example.com", "firstName": "Test {{{tag}}}"}}""",
        };
        for (var i = 1; i <= orders; i++)
        {
            events.Add($$$"""{"id": "o-{{{customer}}}-{{{i}}}", "customerId": "{{{customer}}}", "type": "order_completed", "timestamp": "{{{Stamp(now.AddMinutes(i))}}}", "properties": {"orderId": "{{{customer}}}-{{{i}}}", "revenue": 40}}""");
        }

        return $"[{string.Join(",", events)}]";
    }

    private static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
