namespace CustomerGrains.Grains.Webhooks;

/// <summary>The created webhook, or why not: <see cref="Field"/> names the draft's field at fault (a 400), else a conflict (409).</summary>
[GenerateSerializer, Immutable, Alias("cg.WebhookCreated")]
public sealed record WebhookCreated(
    [property: Id(0)] WebhookInfo? Webhook,
    [property: Id(1)] string? Error = null,
    [property: Id(2)] string? Field = null);
