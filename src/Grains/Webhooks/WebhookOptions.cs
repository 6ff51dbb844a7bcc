namespace CustomerGrains.Grains.Webhooks;

/// <summary>How webhooks deliver. Section <c>CustomerGrains:Webhooks</c>; read by the silos that run the deliverers.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Changes per POST at most.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>A receiver that has not answered (status line and headers) within this is a failed attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts of one batch (the first and its retries) before it goes to the webhook's dead letters.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; each next one doubles it, up to <see cref="RetryCap"/>, with jitter (half of it random).</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts of a batch.</summary>
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Host names and IP addresses a webhook may reach although they are (or resolve to) private, loopback, link-local,
    /// unique-local, multicast or unspecified addresses, which are refused otherwise.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];
}
