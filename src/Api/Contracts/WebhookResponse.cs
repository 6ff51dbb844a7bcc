using CustomerGrains.Grains.Webhooks;

namespace CustomerGrains.Api.Contracts;

/// <summary>A webhook, never its secret: <c>segments</c> and <c>kinds</c> empty mean all.</summary>
public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Segments, IReadOnlyList<string> Kinds, DateTimeOffset CreatedAt)
{
    public static WebhookResponse From(WebhookInfo info) => new(info.Id, info.Url, info.Segments, info.Kinds, info.CreatedAt);
}

/// <summary>The answer to creating a webhook: the only time <c>secret</c> is shown.</summary>
public sealed record CreatedWebhookResponse(
    string Id, string Url, IReadOnlyList<string> Segments, IReadOnlyList<string> Kinds, DateTimeOffset CreatedAt, string Secret);

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Items);
