using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Api.Hosting;

/// <summary>
/// Retries a grain call the cluster refused for a reason that passes within moments: the silo holding the grain
/// left or was declared dead, a gateway connection dropped, a message was rejected while grains moved. Only for
/// calls that are safe to repeat (ingest is idempotent by event id). Timeouts and database failures are not
/// retried here: the request has already waited, or the next attempt would fail the same way; they become a 503.
/// </summary>
public static class TransientRetry
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (attempt < Delays.Length && IsTransient(error) && !ct.IsCancellationRequested)
            {
                await Task.Delay(Delays[attempt], ct);
            }
        }
    }

    private static bool IsTransient(Exception error) =>
        error is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or SiloDeclaredDeadException or Orleans.Storage.InconsistentStateException;
}
