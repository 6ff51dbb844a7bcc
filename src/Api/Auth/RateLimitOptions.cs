namespace CustomerGrains.Api.Auth;

/// <summary>
/// Section <c>CustomerGrains:RateLimit</c>: a token bucket per API key. The default leaves room for a store sending
/// 30k events/s in 500-event requests (~60 requests/s) many times over.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "CustomerGrains:RateLimit";

    /// <summary>Requests per second a key may sustain; 0 turns rate limiting off.</summary>
    public int PermitsPerSecond { get; set; } = 1000;

    /// <summary>Requests a key may send at once after a quiet spell.</summary>
    public int Burst { get; set; } = 2000;
}
