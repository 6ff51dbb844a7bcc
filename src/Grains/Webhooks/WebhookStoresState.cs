namespace CustomerGrains.Grains.Webhooks;

[GenerateSerializer, Alias("cg.WebhookStoresState")]
public sealed class WebhookStoresState
{
    [Id(0)] public HashSet<string> Stores { get; set; } = new(StringComparer.Ordinal);
}
