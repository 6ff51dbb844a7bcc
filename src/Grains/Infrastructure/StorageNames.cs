namespace CustomerGrains.Grains.Infrastructure;

/// <summary>Storage provider and state names. A state name is part of every stored row's key: never rename one.</summary>
public static class StorageNames
{
    public const string Provider = "customergrains";

    public const string CustomerState = "customer";
    public const string CatalogState = "segment-catalog";
    public const string SegmentState = "segment";
    public const string PopulationState = "population";
    public const string ApiKeyState = "api-keys";
    public const string ModelState = "purchase-models";
    public const string LookalikeState = "lookalike-models";
    public const string WebhookCatalogState = "webhooks";
    public const string WebhookDeliveryState = "webhook-delivery";
    public const string WebhookStoresState = "webhook-stores";
    public const string QualityState = "data-quality";
}
