namespace CustomerGrains.Grains.Webhooks;

[GenerateSerializer, Alias("cg.WebhookCatalogState")]
public sealed class WebhookCatalogState
{
    /// <summary>By webhook id.</summary>
    [Id(0)] public Dictionary<string, WebhookDefinition> Webhooks { get; set; } = new(StringComparer.Ordinal);
}
