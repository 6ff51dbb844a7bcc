using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The customer grain's part in identity merges (ARCHITECTURE: Where identities are merged): merging and unmerging as
/// the primary (a step that runs alone and freezes the secondary), being frozen and thawed as the secondary, forwarding,
/// and delivering the changes a primary decided for it. The decisions are pure (<see cref="CustomerMerge"/>).
/// </summary>
public sealed partial class CustomerGrain
{
    // Above zero while this customer runs (or waits to run) a step that freezes other customers: it refuses to be frozen.
    private int _coordinating;

    // The freeze this customer is in, while a primary writes the outcome.
    private FrozenStep? _frozen;

    // Retries the delivery of changes a primary decided for this customer, while a shard could not be reached.
    private IGrainTimer? _redelivery;

    public async Task<MergeResult> MergeAsync(string secondaryId)
    {
        if (secondaryId == _customerId)
        {
            return Result(MergeOutcome.Self);
        }

        if (identity.Value.IsBlocked(_customerId) || identity.Value.IsBlocked(secondaryId))
        {
            return Result(MergeOutcome.Blocked);
        }

        while (true)
        {
            if (state.State.MergedInto is { } primary)
            {
                // The customer this id resolves to is the secondary itself: merging it would close a cycle.
                var forwarded = await Customer(primary).MergeAsync(secondaryId);
                return forwarded.Outcome == MergeOutcome.Self ? forwarded with { Outcome = MergeOutcome.Cycle } : forwarded;
            }

            // Null: this customer was merged into another while it waited for its turn; the merge goes there.
            MergeResult? result = null;
            await CoordinateAsync(async () => result = await MergeAloneAsync(secondaryId));
            if (result is not null)
            {
                return result;
            }
        }
    }

    public async Task<MergeResult> UnmergeAsync(string secondaryId)
    {
        while (true)
        {
            if (state.State.MergedInto is { } primary)
            {
                return await Customer(primary).UnmergeAsync(secondaryId);
            }

            MergeResult? result = null;
            await CoordinateAsync(async () => result = await UnmergeAloneAsync(secondaryId));
            if (result is not null)
            {
                return result;
            }
        }
    }

    public async Task<Frozen> FreezeAsync(FreezeRequest request)
    {
        if (_coordinating > 0)
        {
            return new Frozen(MergeOutcome.Busy, null);
        }

        var handed = new TaskCompletionSource<Frozen>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = RunFrozenAsync(request, handed);
        return await handed.Task;
    }

    public async Task ThawAsync(Thaw thaw)
    {
        if (_frozen is { } frozen && frozen.Token == thaw.Token)
        {
            frozen.Thawed.TrySetResult(thaw);
            await frozen.Applied.Task;
            return;
        }

        // Not (or no longer) frozen for it: a fresh activation has replayed what was committed and sent its changes on;
        // one being replaced has not.
        _pipeline.ThrowIfBroken();
    }

    /// <summary>
    /// The merge, alone in the pipeline: the secondary is frozen and hands its state over; both sides are decided here
    /// (the secondary leaves everything, this customer folds it in and decides its segments again: net changes) and
    /// written as one group of the journal writer (both or neither); then the secondary hears the outcome. Null: this
    /// customer was merged into another meanwhile.
    /// </summary>
    private async Task<MergeResult?> MergeAloneAsync(string secondaryId)
    {
        var s = state.State;
        if (s.MergedInto is not null)
        {
            return null;
        }

        if (s.SuppressedAt is not null)
        {
            return Result(MergeOutcome.Suppressed);
        }

        if (!s.Exists)
        {
            return Result(MergeOutcome.UnknownPrimary);
        }

        if (CustomerMerge.Answers(s, _customerId, secondaryId))
        {
            // A retry, perhaps of a merge whose secondary did not hear the outcome: a word to it starts an activation
            // that replays what was committed and sends its changes on, if the one that missed it is gone.
            await Customer(secondaryId).ThawAsync(new Thaw(Guid.Empty, ThawKind.Unchanged));
            return Result(MergeOutcome.AlreadyMerged);
        }

        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        var token = Guid.NewGuid();
        var frozen = await Customer(secondaryId).FreezeAsync(new FreezeRequest(_customerId, token, FreezeIntent.Merge));
        if (frozen.Refusal is { } refusal)
        {
            return Result(refusal);
        }

        // From here the secondary waits for its thaw, whatever happens.
        var handed = frozen.State!;
        if (CustomerMerge.Ids(s, _customerId).Length + CustomerMerge.Ids(handed, secondaryId).Length > identity.Value.MaxIds)
        {
            await ThawAsync(secondaryId, new Thaw(token, ThawKind.Unchanged));
            return Result(MergeOutcome.TooManyIds);
        }

        Task<long>[] group = [];
        JournalEntry? secondaryEntry = null;
        Exception? failure = null;
        try
        {
            // The secondary's side: it leaves every segment; its deadline, purchase row and place in the store's index go.
            var now = time.GetUtcNow();
            var carried = CustomerMerge.Carried(handed);
            var leaves = CustomerMerge.Leave(handed, secondaryId, _customerId, now);
            secondaryEntry = new JournalEntry(
                [], MembershipOutbox.Rows(secondaryId, leaves, catalog), Erased: false, handed.Decisions,
                Identity: new IdentityChange(IdentityChangeKind.MergedInto, _customerId, secondaryId));
            var secondaryWrite = journal.Write(
                _store, secondaryId, secondaryEntry, deadline: new DeadlineChange(DeadlineShards.Of(secondaryId), null),
                purchases: NoPurchases, unregister: true);

            // This customer's side: the fold, its segments decided again against it.
            var decision = Decide(_ =>
            {
                var merged = CustomerMerge.Absorb(state.State, _customerId, carried, secondaryId);
                state.State = merged;
                return CustomerDecisions.Reevaluate(merged, _customerId, catalog, population, now, _ => $"merged:{secondaryId}")
                    with { PurchasesChanged = carried.Orders.Count + carried.Refunds.Count > 0 };
            });
            var entry = new JournalEntry([], [], Erased: false, Identity: new IdentityChange(IdentityChangeKind.Absorbed, _customerId, secondaryId, carried));
            await CommitAsync(decision, catalog, entry, [secondaryWrite], submitted => group = submitted);
        }
        catch (Exception error)
        {
            failure = error;
        }

        var told = await ThawAsync(secondaryId, Outcome(token, group, 0, secondaryEntry));
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        // Durable, but its shards may not have heard that the secondary left them: the caller retries (AlreadyMerged).
        return told
            ? Result(MergeOutcome.Merged)
            : throw new TimeoutException("the merge is durable but the merged customer did not hear of it; retry");
    }

    /// <summary>
    /// The unmerge, alone in the pipeline: the secondary (a forwarder) is frozen; this customer becomes the fold of the
    /// identities that remain, the secondary the fold of its own (the constituents that came with it), each decides its
    /// segments again, and both are written as one group; then the secondary hears the outcome. Null: this customer was
    /// merged into another meanwhile.
    /// </summary>
    private async Task<MergeResult?> UnmergeAloneAsync(string secondaryId)
    {
        var s = state.State;
        if (s.MergedInto is not null)
        {
            return null;
        }

        if (s.Constituents?.Find(c => c.Id == secondaryId && c.Parent == _customerId) is null)
        {
            return Result(MergeOutcome.NotMerged);
        }

        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        var token = Guid.NewGuid();
        var frozen = await Customer(secondaryId).FreezeAsync(new FreezeRequest(_customerId, token, FreezeIntent.Unmerge));
        if (frozen.Refusal is { } refusal)
        {
            return Result(refusal);
        }

        Task<long>[] group = [];
        JournalEntry? secondaryEntry = null;
        DateTimeOffset? secondaryDeadline = null;
        try
        {
            var now = time.GetUtcNow();
            var (kept, restored) = CustomerMerge.Release(s, secondaryId);

            // The secondary's side: its own behaviour back, its segments decided afresh, numbered on from its last decision.
            var carried = CustomerMerge.Carried(restored);
            restored.Decisions = frozen.State!.Decisions;
            var secondary = CustomerDecisions.Reevaluate(restored, secondaryId, catalog, population, now, _ => $"unmerged:{_customerId}");
            secondaryDeadline = secondary.NextDeadline;
            secondaryEntry = new JournalEntry(
                [], MembershipOutbox.Rows(secondaryId, secondary.Changes, catalog), Erased: false, restored.Decisions,
                Identity: new IdentityChange(IdentityChangeKind.Unmerged, _customerId, secondaryId, carried));
            var secondaryWrite = journal.Write(
                _store, secondaryId, secondaryEntry, register: true, deadline: new DeadlineChange(DeadlineShards.Of(secondaryId), secondaryDeadline),
                purchases: restored.Orders.Count > 0 ? Purchases(restored) : null);

            var decision = Decide(_ =>
            {
                state.State = kept;
                return CustomerDecisions.Reevaluate(kept, _customerId, catalog, population, now, _ => $"unmerged:{secondaryId}")
                    with { PurchasesChanged = carried.Orders.Count + carried.Refunds.Count > 0 };
            });
            var entry = new JournalEntry([], [], Erased: false, Identity: new IdentityChange(IdentityChangeKind.Released, _customerId, secondaryId));
            await CommitAsync(decision, catalog, entry, [secondaryWrite], submitted => group = submitted);
        }
        finally
        {
            // One that does not hear of it replays the unmerge when next active (its next event, at the latest).
            await ThawAsync(secondaryId, Outcome(token, group, 0, secondaryEntry, secondaryDeadline));
        }

        return Result(MergeOutcome.Unmerged);
    }

    /// <summary>
    /// Frozen for a primary: alone in the pipeline (no decision, no write, no snapshot meanwhile), the state handed over,
    /// until the thaw says what was written or the wait times out; then the pipeline carries on (events that waited are
    /// forwarded if this customer was merged away).
    /// </summary>
    private async Task RunFrozenAsync(FreezeRequest request, TaskCompletionSource<Frozen> handed)
    {
        try
        {
            await _pipeline.ExclusiveAsync(async () =>
            {
                var s = state.State;
                var refusal = request.Intent switch
                {
                    FreezeIntent.Merge when s.MergedInto is not null => MergeOutcome.MergedElsewhere,
                    FreezeIntent.Merge when s.SuppressedAt is not null => MergeOutcome.Suppressed,
                    FreezeIntent.Merge when !s.Exists => MergeOutcome.UnknownSecondary,
                    FreezeIntent.Merge when identity.Value.IsBlocked(_customerId) => MergeOutcome.Blocked,
                    FreezeIntent.Unmerge when s.MergedInto != request.Primary => MergeOutcome.NotMerged,
                    FreezeIntent.Erase when s.MergedInto is null => MergeOutcome.NotMerged,
                    _ when _pipeline.IsBroken => MergeOutcome.Busy,
                    _ => (MergeOutcome?)null,
                };
                if (refusal is not null)
                {
                    handed.TrySetResult(new Frozen(refusal, null));
                    return;
                }

                var frozen = new FrozenStep(request.Token);
                _frozen = frozen;
                try
                {
                    handed.TrySetResult(new Frozen(null, s));
                    Thaw thaw;
                    try
                    {
                        thaw = await frozen.Thawed.Task.WaitAsync(identity.Value.FreezeTimeout, TimeProvider.System);
                    }
                    catch (TimeoutException)
                    {
                        thaw = new Thaw(request.Token, ThawKind.Unknown);
                    }

                    await ApplyAsync(thaw);
                    frozen.Applied.TrySetResult();
                }
                catch (Exception error)
                {
                    // Memory may be ahead of what this activation has told anyone: the next one replays.
                    _pipeline.Break(error);
                    frozen.Applied.TrySetException(error);
                }
                finally
                {
                    _frozen = null;
                }
            });
        }
        catch (Exception error)
        {
            handed.TrySetException(error);
            logger.LogFailure(LogLevel.Warning, error, "A customer of store {Store} failed while frozen for a merge", _store);
        }
    }

    /// <summary>What the primary wrote for this customer, applied as a replay of its entry would (in the frozen step).</summary>
    private async Task ApplyAsync(Thaw thaw)
    {
        if (thaw.Kind == ThawKind.Unchanged)
        {
            return;
        }

        if (thaw.Kind == ThawKind.Unknown)
        {
            // Whether the primary's write committed is unknown: the next activation replays whatever was.
            _pipeline.Break(new TimeoutException("the outcome of a merge this customer was frozen for is unknown"));
            return;
        }

        var before = state.State;
        var entry = thaw.Entry!;
        var after = JournalReplay.Apply(before, thaw.Seq, entry, behaviour.Value);
        state.State = after;
        _snapshots.Journaled();

        // Merged away (or erased with the person) it leaves the quality report; given back by an unmerge it is in it again.
        _quality.AfterCommit(after, entry, thaw.Seq);
        if (entry.Erased)
        {
            _stats.Erased(before);
            if (state.RecordExists)
            {
                await state.ClearStateAsync();
            }

            state.State = new CustomerState { Decisions = after.Decisions, SuppressedAt = after.SuppressedAt };
            _snapshots.Forget();
            DeactivateOnIdle();
            return;
        }

        DateTimeOffset? due = null;
        if (after.MergedInto is not null)
        {
            // It left the store's statistics with its segments; its deadline row went in the same transaction.
            _stats.Erased(before);
            _deadline.Clear();
        }
        else
        {
            _stats.AfterCommit(after, purchases: true);
            _deadline.Forget();
            _deadline.Change(thaw.Deadline, time.GetUtcNow());
            due = thaw.Deadline;
        }

        try
        {
            await DeadlineShards.Grain(GrainFactory, _store, DeadlineShards.Of(_customerId)).SetAsync(_customerId, due);
        }
        catch (Exception error)
        {
            // The row is stored: a deadline shard that reloads has it, and an early wake of a forwarder does nothing.
            logger.LogFailure(LogLevel.Warning, error, "A customer of store {Store} could not tell its deadline shard after a merge", _store);
        }

        _snapshots.AfterCommit();
        await DeliverAsync();
    }

    /// <summary>
    /// Sends the changes a primary decided for this customer to their shards; one that cannot be reached now (a silo
    /// that went away, not yet declared dead) is tried again every few seconds until it is, the activation kept meanwhile.
    /// </summary>
    private async Task DeliverAsync()
    {
        try
        {
            await _outbox.FlushAsync(state.State, long.MaxValue, await segments.GetAsync(_store));
        }
        catch (Exception error)
        {
            logger.LogFailure(LogLevel.Warning, error, "A merged customer of store {Store} could not tell its shards; it tries again", _store);
            _redelivery ??= this.RegisterGrainTimer(
                _ => RedeliverAsync(),
                new GrainTimerCreationOptions { DueTime = RedeliverEvery, Period = RedeliverEvery, Interleave = true, KeepAlive = true });
        }
    }

    private async Task RedeliverAsync()
    {
        if (state.State.Outbox.Count > 0 && !_pipeline.IsBroken)
        {
            try
            {
                await _outbox.FlushAsync(state.State, long.MaxValue, await segments.GetAsync(_store));
            }
            catch (Exception error)
            {
                logger.LogFailure(LogLevel.Debug, error, "A merged customer of store {Store} still cannot tell its shards", _store);
                return;
            }
        }

        _redelivery?.Dispose();
        _redelivery = null;
    }

    private static readonly TimeSpan RedeliverEvery = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Tells a frozen customer the outcome. A call that fails is made once more, which starts a new activation if that
    /// one gave up waiting (the new one replays what was committed and sends its changes on).
    /// </summary>
    private async Task<bool> ThawAsync(string customerId, Thaw thaw)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Customer(customerId).ThawAsync(thaw);
                return true;
            }
            catch (Exception error) when (attempt < 2)
            {
                logger.LogFailure(LogLevel.Warning, error, "A customer of store {Store} did not hear the outcome of a merge; told again", _store);
            }
            catch (Exception error)
            {
                logger.LogFailure(LogLevel.Warning, error, "A customer of store {Store} did not hear the outcome of a merge; it replays it when next active", _store);
                return false;
            }
        }
    }

    /// <summary>The thaw for the write at <paramref name="index"/> of a group: unchanged if none was queued, unknown if it did not commit.</summary>
    private static Thaw Outcome(Guid token, Task<long>[] group, int index, JournalEntry? entry, DateTimeOffset? deadline = null) =>
        group.Length == 0 ? new Thaw(token, ThawKind.Unchanged)
        : group[index].IsCompletedSuccessfully ? new Thaw(token, ThawKind.Committed, group[index].Result, entry, deadline)
        : new Thaw(token, ThawKind.Unknown);

    /// <summary>Runs a step that freezes other customers alone in the pipeline; meanwhile this customer refuses to be frozen.</summary>
    private async Task CoordinateAsync(Func<Task> step)
    {
        _coordinating++;
        try
        {
            await _pipeline.ExclusiveAsync(step);
        }
        finally
        {
            _coordinating--;
        }
    }

    /// <summary>
    /// Merges the ids the events name as this person (alias, identify with an anonymous id); refusals are logged. An id
    /// merged already is left alone, unless a retried event names it (the merge it made may not have been heard of).
    /// </summary>
    private async Task MergeNamedAsync(ImmutableArray<CustomerEvent> events, ImmutableArray<CustomerEvent> accepted)
    {
        var applied = accepted.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var retried = CustomerMerge.Named(events.Where(e => !applied.Contains(e.Id))).ToHashSet(StringComparer.Ordinal);
        foreach (var secondaryId in CustomerMerge.Named(events))
        {
            if ((retried.Contains(secondaryId) || !CustomerMerge.Answers(state.State, _customerId, secondaryId))
                && await MergeAsync(secondaryId) is { Succeeded: false } refused)
            {
                // No ids: the event stays recorded, the merge is not made.
                logger.LogDebug("A merge an event named was refused in store {Store}: {Outcome}", _store, refused.Outcome);
            }
        }
    }

    /// <summary>
    /// After a commit that claimed matching-trait keys (<see cref="TraitMatching"/>): a key another customer holds (the
    /// first holder keeps it) merges this customer into that one; refusals are logged. Read after the commit, so two
    /// customers that take one e-mail at once both find the one that holds it.
    /// </summary>
    private async Task MergeMatchingAsync(ImmutableArray<IdentityKeyRow> keys)
    {
        foreach (var key in keys)
        {
            if (!key.Held || state.State.MergedInto is not null)
            {
                continue;
            }

            var holder = await identityKeys.HolderAsync(_store, key.Field, key.Key);
            if (holder is not null && !CustomerMerge.Answers(state.State, _customerId, holder)
                && await Customer(holder).MergeAsync(_customerId) is { Succeeded: false } refused)
            {
                logger.LogDebug("A merge by a matching {Field} was refused in store {Store}: {Outcome}", key.Field, _store, refused.Outcome);
            }
        }
    }

    private MergeResult Result(MergeOutcome outcome) =>
        new(outcome, _customerId, [.. CustomerMerge.Ids(state.State, _customerId).Where(id => id != _customerId)]);

    private int Hop(int hops) => hops < identity.Value.MaxIds + 1
        ? hops + 1
        : throw new InvalidOperationException("events were forwarded between merged customers more often than a customer has ids");

    private ICustomerGrain Customer(string customerId) => GrainFactory.Get<ICustomerGrain>(GrainKeys.Customer(_store, customerId));

    private static readonly PurchaseRow NoPurchases = new([], 0, 0);

    /// <summary>A freeze in progress: the thaw it waits for, and whether that was applied.</summary>
    private sealed class FrozenStep(Guid token)
    {
        public Guid Token { get; } = token;

        public TaskCompletionSource<Thaw> Thawed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
