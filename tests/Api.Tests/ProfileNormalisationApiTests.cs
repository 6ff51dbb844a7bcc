using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>
/// Dirty profiles over HTTP, by every route that sets traits: accepted, shown normalised, and what could not be
/// read listed under <c>rawValues</c> with the reason; only a value of the wrong JSON type is refused.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ProfileNormalisationApiTests(ApiFixture fixture)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task An_identify_with_dirty_traits_is_accepted_normalised_and_its_unreadable_values_kept_raw()
    {
        using var admin = fixture.Client(AdminA);
        var segment = $"es-{_tag}";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""
            {"id": "{{segment}}", "rule": "profile.country == \"ES\""}
            """))).StatusCode);
        var customer = $"dirty-{_tag}";

        var posted = await admin.PostAsync("/v1/stores/shop-a/events", JsonBody($$$"""
            [{"id": "i-{{{_tag}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "2026-11-20T10:00:00Z",
              "properties": {"email": "  Ana.Garcia@Example.COM", "country": "Spain", "phone": "612 34 56 78", "birthDate": "1990-02-30", "firstName": "Ana"}},
             {"id": "j-{{{_tag}}}", "customerId": "{{{customer}}}", "type": "identify", "timestamp": "2026-11-21T10:00:00Z",
              "properties": {"email": "ana at example.com", "phone": "+44 20 7946 0018"}}]
            """));

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("""{"accepted":2,"duplicates":0}""", await posted.Content.ReadAsStringAsync());
        var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{customer}");
        var profile = view.GetProperty("profile");
        Assert.Equal("ana.garcia@example.com", profile.GetProperty("email").GetString());
        Assert.Equal("ES", profile.GetProperty("country").GetString());
        Assert.Equal("+442079460018", profile.GetProperty("phone").GetString());
        Assert.Equal("Ana", profile.GetProperty("firstName").GetString());
        Assert.False(profile.TryGetProperty("birthDate", out _));
        Assert.Equal(
            [
                ("birthDate", "1990-02-30", "not a date 'yyyy-MM-dd'", "2026-11-20T10:00:00+00:00"),
                ("email", "ana at example.com", "not an e-mail address: it needs exactly one '@'", "2026-11-21T10:00:00+00:00"),
            ],
            Raw(view));
        Assert.Contains(segment, view.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_profile_put_with_an_unreadable_email_is_no_longer_refused_but_a_wrong_type_still_is()
    {
        using var admin = fixture.Client(AdminA);
        var customer = $"put-{_tag}";

        var put = await admin.PutAsync($"/v1/stores/shop-a/customers/{customer}/profile", JsonBody("""{"email": "nope", "country": "DEU"}"""));
        var refused = await admin.PutAsync($"/v1/stores/shop-a/customers/{customer}/profile", JsonBody("""{"email": ["a@example.com"]}"""));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("email must be a string", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{customer}");
        Assert.Equal("DE", view.GetProperty("profile").GetProperty("country").GetString());
        Assert.False(view.GetProperty("profile").TryGetProperty("email", out _));
        var (field, value, reason, _) = Assert.Single(Raw(view));
        Assert.Equal(("email", "nope", "not an e-mail address: it needs exactly one '@'"), (field, value, reason));
    }

    [Fact]
    public async Task Segment_identify_traits_are_normalised_alike()
    {
        using var tracker = fixture.Client(null);
        tracker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminA}:")));
        var customer = $"sdk-{_tag}";

        var sent = await tracker.PostAsync("/v1/identify", JsonBody($$$"""
            {"messageId": "m-{{{_tag}}}", "userId": "{{{customer}}}", "timestamp": "2026-11-20T10:00:00Z",
             "traits": {"email": "Sam@Example.com ", "phone": "06 12 34 56 78", "birthday": "1985-04-12T00:00:00.000Z", "address": {"country": "france"}} }
            """));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        using var admin = fixture.Client(AdminA);
        var view = await admin.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{customer}");
        var profile = view.GetProperty("profile");
        Assert.Equal(
            ("sam@example.com", "+33612345678", "1985-04-12", "FR"),
            (profile.GetProperty("email").GetString(), profile.GetProperty("phone").GetString(), profile.GetProperty("birthDate").GetString(), profile.GetProperty("country").GetString()));
        Assert.Empty(Raw(view));
    }

    private static (string Field, string? Value, string Reason, string At)[] Raw(JsonElement view) =>
        [.. view.GetProperty("rawValues").EnumerateArray().Select(r => (
            r.GetProperty("field").GetString()!,
            r.GetProperty("value").GetString(),
            r.GetProperty("reason").GetString()!,
            r.GetProperty("at").GetDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)))];
}
