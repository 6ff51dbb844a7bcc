using Orleans.Concurrency;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// One webhook's deliveries (key: <c>{store}/{webhook}</c>, see <see cref="WebhookKeys"/>): one per cluster, delivering on
/// its own so that a slow or dead receiver holds up nothing else. It follows the store's change feed, sends the webhook's
/// changes in batches, one at a time and in feed order, and moves on only once the receiver answered 2xx or the batch went
/// to the dead letters. Its progress, dead letters and log are its persistent state.
/// </summary>
[Alias("cg.IWebhookDeliveryGrain")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Makes sure deliveries run (activating the grain starts them).</summary>
    [Alias("Start"), AlwaysInterleave]
    Task StartAsync();

    /// <summary>Stops deliveries and forgets the progress, dead letters and log: the webhook is being deleted.</summary>
    [Alias("Stop"), AlwaysInterleave]
    Task StopAsync();

    /// <summary>The dead letters, oldest first; null when the store has no such webhook.</summary>
    [Alias("Failures"), ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<DeadLetter>?> FailuresAsync();

    /// <summary>Asks for every dead letter to be sent again (once each, before newer batches); how many; null when no such webhook.</summary>
    [Alias("Replay"), AlwaysInterleave]
    Task<int?> ReplayAsync();

    /// <summary>The latest attempts, newest first; null when no such webhook.</summary>
    [Alias("Deliveries"), ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<DeliveryAttempt>?> DeliveriesAsync();
}
