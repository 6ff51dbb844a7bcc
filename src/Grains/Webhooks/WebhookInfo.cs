using System.Collections.Immutable;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>What may be shown of a webhook: never its secret.</summary>
[GenerateSerializer, Immutable, Alias("cg.WebhookInfo")]
public sealed record WebhookInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] ImmutableArray<string> Segments,
    [property: Id(3)] ImmutableArray<string> Kinds,
    [property: Id(4)] DateTimeOffset CreatedAt);
