using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Ingest;

/// <summary>
/// A shard of a store's event-id claims, in memory: the first customer an id is sent for holds it for the dedupe window,
/// and the same id for another customer is then a duplicate. The claims become durable with the customers' journal
/// commits (<see cref="JournalRecord.EventIds"/>, one <c>cg_event_ids</c> row per store per group commit), and an
/// activation loads the window's rows. A claim is made here before the customer's commit: an id whose first commit
/// failed stays with that customer (its retry goes through), and an activation that starts while a claim's commit is in
/// flight may miss it — the window a retry for another customer could slip through, on a shard's move only.
/// </summary>
public sealed class EventIdsGrain(
    EventClaimRows rows,
    IOptions<DedupeOptions> options,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    ILogger<EventIdsGrain> logger) : Grain, IEventIdsGrain
{
    private static readonly TimeSpan DropEvery = TimeSpan.FromMinutes(10);

    private readonly Dictionary<ulong, ulong> _owners = [];

    // Claims in the order made, for the window to let them go: (when, id).
    private readonly Queue<(long UnixMs, ulong Id)> _made = new();
    private long _droppedAtUnixMs;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (store, shard) = Key();
        var shards = (ulong)options.Value.Shards;
        foreach (var (at, claims) in await rows.LoadAsync(store, Since()))
        {
            EventClaims.Read(claims, (id, owner) =>
            {
                if (id % shards == (ulong)shard && _owners.TryAdd(id, owner))
                {
                    _made.Enqueue((at, id));
                }
            });
        }

        _droppedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    public Task<ImmutableArray<int>> ClaimAsync(ImmutableArray<ulong> ids, ImmutableArray<ulong> owners)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Forget(Since());
        ImmutableArray<int>.Builder? refused = null;
        for (var i = 0; i < ids.Length; i++)
        {
            if (_owners.TryGetValue(ids[i], out var owner))
            {
                if (owner != owners[i])
                {
                    (refused ??= ImmutableArray.CreateBuilder<int>()).Add(i);
                }
            }
            else
            {
                _owners.Add(ids[i], owners[i]);
                _made.Enqueue((now, ids[i]));
            }
        }

        // The stored rows past the window go now and then, by the store's first shard alone.
        if (Key().Shard == 0 && now - _droppedAtUnixMs >= (long)DropEvery.TotalMilliseconds)
        {
            _droppedAtUnixMs = now;
            _ = DropAsync(Key().Store, Since());
        }

        return Task.FromResult(refused?.ToImmutable() ?? []);
    }

    private async Task DropAsync(string store, long beforeUnixMs)
    {
        try
        {
            await rows.DropBeforeAsync(store, beforeUnixMs);
        }
        catch (Exception error)
        {
            // Only storage kept a while longer: the next drop takes these rows too.
            logger.LogFailure(LogLevel.Warning, error, "Dropping a store's expired event-id claims failed; retried later");
        }
    }

    private long Since() => (time.GetUtcNow() - options.Value.Window).ToUnixTimeMilliseconds();

    private void Forget(long beforeUnixMs)
    {
        while (_made.TryPeek(out var oldest) && oldest.UnixMs < beforeUnixMs)
        {
            _made.Dequeue();
            _owners.Remove(oldest.Id);
        }
    }

    private (string Store, int Shard) Key()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        return (key[..slash], int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
