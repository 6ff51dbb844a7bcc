using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests.Cli;

/// <summary>What the CLI tests send through the API itself, to compare with what the CLI shows.</summary>
public static class CliTestData
{
    /// <summary>The connection options of shop-a's admin key: every command of a test names them, as a script would.</summary>
    public static string[] AsAdmin(ApiFixture fixture, params string[] args) =>
        [.. args, "--url", fixture.Api.BaseAddress.ToString(), "--key", AdminA, "--store", "shop-a"];

    /// <summary>One event of <paramref name="type"/> per customer (and per repeat), stamped a few minutes ago, in requests of at most 1000.</summary>
    public static async Task PostEventsAsync(ApiFixture fixture, string type, IEnumerable<string> customers, int repeats = 1)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        var events = customers.SelectMany(c => Enumerable.Range(0, repeats).Select(r => new
        {
            id = $"{type}-{c}-{r}",
            customerId = c,
            type,
            timestamp = at,
        })).ToList();
        using var client = fixture.Client(AdminA);
        foreach (var chunk in events.Chunk(1000))
        {
            var response = await client.PostAsJsonAsync("/v1/stores/shop-a/events", chunk);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Waits (polling the count route, with a deadline) until a segment's backfill has brought it to <paramref name="expected"/>.</summary>
    public static async Task WaitForCountAsync(ApiFixture fixture, string segment, long expected)
    {
        using var client = fixture.Client(AdminA);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long count = -1;
        while (DateTime.UtcNow < deadline)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/count");
            count = answer.GetProperty("count").GetInt64();
            if (count == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"segment {segment} has {count} members, not {expected}, after 60 s");
    }

    /// <summary>Every member through the members route itself, in pages of 100 (the CLI reads pages of 1000).</summary>
    public static async Task<List<(string CustomerId, string EnteredAt, string? Cause)>> MembersAsync(ApiFixture fixture, string segment)
    {
        using var client = fixture.Client(AdminA);
        var members = new List<(string, string, string?)>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/v1/stores/shop-a/segments/{segment}/members?limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            members.AddRange(page.GetProperty("items").EnumerateArray().Select(m =>
                (m.GetProperty("customerId").GetString()!, m.GetProperty("enteredAt").GetString()!, m.GetProperty("cause").GetString())));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return members;
    }

    /// <summary>RFC 4180 records (quoted fields, doubled quotes); the tests' own reader, independent of the CLI's writer.</summary>
    public static List<string[]> ReadCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        Assert.True(field.Length == 0 && fields.Count == 0, "the CSV does not end with a line break");
        return records;
    }
}
