using System.Text;
using CustomerGrains.Grains.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace CustomerGrains.Api.Tests;

/// <summary>The engine's own signing (the grains may not use the package) against the StandardWebhooks package's verification.</summary>
public sealed class WebhookSignatureTests
{
    private const string Body = """{"type":"segment.membership","store":"shop-a","webhook":"crm","changes":[{"customerId":"añа"}]}""";

    [Fact]
    public void The_package_verifies_what_the_engine_signs()
    {
        var secret = WebhookSecret.Generate();
        var headers = Signed(secret, "msg_1", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Body);

        new StandardWebhook(secret).Verify(Body, headers);
    }

    [Theory]
    [InlineData("body")]
    [InlineData("id")]
    [InlineData("timestamp")]
    [InlineData("secret")]
    public void The_package_refuses_a_signature_when_anything_signed_differs(string changed)
    {
        var secret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var headers = Signed(secret, "msg_1", now, Body);
        switch (changed)
        {
            case "id":
                headers["webhook-id"] = "msg_2";
                break;
            case "timestamp":
                headers["webhook-timestamp"] = (now - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(changed == "secret" ? WebhookSecret.Generate() : secret)
            .Verify(changed == "body" ? Body.Replace("shop-a", "shop-b", StringComparison.Ordinal) : Body, headers));
    }

    private static HeaderDictionary Signed(string secret, string id, long timestamp, string body)
    {
        Assert.True(WebhookSecret.TryParse(secret, out var key));
        return new HeaderDictionary
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign(key, id, timestamp, Encoding.UTF8.GetBytes(body)),
        };
    }
}
