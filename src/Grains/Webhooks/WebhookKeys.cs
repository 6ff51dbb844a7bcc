namespace CustomerGrains.Grains.Webhooks;

/// <summary>A webhook's deliverer is keyed <c>{store}/{webhook}</c>; neither id contains '/'.</summary>
public static class WebhookKeys
{
    public static string Deliverer(string store, string webhookId) => $"{store}/{webhookId}";

    public static (string Store, string WebhookId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
