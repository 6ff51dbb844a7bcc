using System.Net;
using CustomerGrains.Grains.Webhooks;

namespace CustomerGrains.Grains.Tests.Webhooks;

/// <summary>The pure parts of webhooks: which addresses are refused, the waits between attempts, the secret's form.</summary>
public sealed class WebhookRulesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("100.64.0.1", "private (shared address space)")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "reserved (0.0.0.0/8)")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("64:ff9b::a00:1", "private")]
    [InlineData("2002:c0a8:101::1", "private")]
    [InlineData("::10.0.0.1", "private")]
    [InlineData("172.32.0.1", null)]
    [InlineData("8.8.8.8", null)]
    [InlineData("100.128.0.1", null)]
    [InlineData("2001:4860:4860::8888", null)]
    [InlineData("::ffff:8.8.8.8", null)]
    public void An_address_is_refused_for_its_kind_or_allowed_when_public(string address, string? kind) =>
        Assert.Equal(kind, WebhookAddresses.Forbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 0.999, 999)]
    [InlineData(2, 0.0, 1000)]
    [InlineData(3, 0.5, 3000)]
    [InlineData(7, 1.0, 60_000)]
    [InlineData(8, 0.0, 30_000)]
    [InlineData(1000, 0.0, 30_000)]
    public void The_wait_doubles_per_failed_attempt_up_to_the_cap_with_its_second_half_random(int failed, double random, int milliseconds) =>
        Assert.InRange(
            WebhookBackoff.Delay(failed, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), random).TotalMilliseconds,
            milliseconds - 1,
            milliseconds + 1);

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    [InlineData("whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", true)]
    [InlineData("whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", false)]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("whsec_not base64!", false)]
    [InlineData("whsec_", false)]
    public void A_secret_is_whsec_and_the_base64_of_24_to_64_bytes(string secret, bool valid) =>
        Assert.Equal(valid, WebhookSecret.TryParse(secret, out _));

    [Fact]
    public void A_generated_secret_is_one_of_32_random_bytes()
    {
        var (first, second) = (WebhookSecret.Generate(), WebhookSecret.Generate());
        Assert.True(WebhookSecret.TryParse(first, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(first, second);
    }
}
