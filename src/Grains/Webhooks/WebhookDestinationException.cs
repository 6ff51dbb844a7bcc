namespace CustomerGrains.Grains.Webhooks;

/// <summary>A webhook's destination may not be reached (see <see cref="WebhookDestinations"/>).</summary>
public sealed class WebhookDestinationException(string message) : Exception(message);
