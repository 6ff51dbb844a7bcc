using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>The retention routes over real HTTP: the setting, its dry run, and bad input that changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class RetentionApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_dry_run_counts_the_inactive_customers_and_bad_settings_are_400s_that_change_nothing()
    {
        using var admin = fixture.Client(AdminA);
        using var reader = fixture.Client(ReaderA);
        var run = Guid.NewGuid().ToString("N")[..8];
        var seen = DateTimeOffset.UtcNow.AddDays(-50).ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/v1/stores/shop-a/events", JsonBody(
            $$"""[{"id": "v-{{run}}", "customerId": "idle-{{run}}", "type": "visit", "timestamp": "{{seen}}"}]"""))).StatusCode);

        async Task<JsonElement> PreviewAsync(int days)
        {
            var answer = await admin.PostAsync("/v1/stores/shop-a/retention/preview", JsonBody($$"""{"inactiveDays": {{days}}, "sample": 1000}"""));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            return await answer.Content.ReadFromJsonAsync<JsonElement>();
        }

        var within = await PreviewAsync(49);
        var beyond = await PreviewAsync(51);
        Assert.True(within.GetProperty("count").GetInt64() > beyond.GetProperty("count").GetInt64());
        Assert.True(within.GetProperty("evaluated").GetInt64() >= within.GetProperty("count").GetInt64());
        Assert.DoesNotContain($"idle-{run}", beyond.GetProperty("customers").EnumerateArray().Select(c => c.GetString()));
        Assert.NotEqual(HttpStatusCode.NotFound, (await admin.GetAsync($"/v1/stores/shop-a/customers/idle-{run}")).StatusCode);

        // No retention set and none given; out of range; not a number; unknown field; a read key.
        Assert.Equal(JsonValueKind.Null, (await reader.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/retention")).GetProperty("inactiveDays").ValueKind);
        await AssertBadAsync(admin.PostAsync("/v1/stores/shop-a/retention/preview", JsonBody("{}")), "no retention set");
        await AssertBadAsync(admin.PutAsync("/v1/stores/shop-a/retention", JsonBody("""{"inactiveDays": 0}""")), "from 1");
        await AssertBadAsync(admin.PutAsync("/v1/stores/shop-a/retention", JsonBody("""{"inactiveDays": "30"}""")), "whole number");
        await AssertBadAsync(admin.PutAsync("/v1/stores/shop-a/retention", JsonBody("""{"days": 30}""")), "unknown field");
        await AssertBadAsync(admin.PostAsync("/v1/stores/shop-a/retention/preview", JsonBody("""{"inactiveDays": 30, "sample": -1}""")), "sample");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsync("/v1/stores/shop-a/retention", JsonBody("""{"inactiveDays": 30}"""))).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await reader.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/retention")).GetProperty("inactiveDays").ValueKind);

        // Set (a hundred years: purges no one here) and read back, then unset.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/v1/stores/shop-a/retention", JsonBody("""{"inactiveDays": 36600}"""))).StatusCode);
        Assert.Equal(36600, (await reader.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/retention")).GetProperty("inactiveDays").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/v1/stores/shop-a/retention", JsonBody("""{"inactiveDays": null}"""))).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await reader.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/retention")).GetProperty("inactiveDays").ValueKind);
    }

    private static async Task AssertBadAsync(Task<HttpResponseMessage> request, string detail)
    {
        var response = await request;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
