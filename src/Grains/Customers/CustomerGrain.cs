using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.DataQuality;
using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Evaluation;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// The single writer of everything about one customer; it orchestrates, the decisions are pure
/// (<see cref="CustomerDecisions"/>) and each job has its own collaborator: the order of writes
/// (<see cref="WritePipeline"/>), the membership changes on their way to the shards (<see cref="MembershipOutbox"/>),
/// the next deadline (<see cref="DeadlineTracker"/>), the store's statistics (<see cref="StatsReport"/>) and
/// snapshots (<see cref="CustomerSnapshots"/>). The path of a request through them: docs/ARCHITECTURE.md.
/// <para>
/// Durability: a request is acknowledged once its journal entry (events + membership rows) is committed by the
/// silo's group-committing <see cref="JournalWriter"/>. The grain state is a snapshot written behind; on activation
/// the journal entries after it are replayed (<see cref="JournalReplay"/>). Reads see the newest applied state, which
/// may include events whose request is still waiting for its commit; segment shards only hear durable decisions.
/// </para>
/// <para>
/// Not reentrant as a class: each method of <see cref="ICustomerGrain"/> says whether it interleaves. The mutating
/// ones must (see the interface): the pipeline keeps their order itself.
/// </para>
/// </summary>
public sealed class CustomerGrain(
    [PersistentState(StorageNames.CustomerState, StorageNames.Provider)] IPersistentState<CustomerState> state,
    SegmentRuleCache segments,
    PopulationCache thresholds,
    PopulationReporter population,
    QualityReporter quality,
    CustomerJournal journal,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    IOptions<BehaviourOptions> behaviour,
    IOptions<IdentityOptions> identity,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    private string _store = "";
    private string _customerId = "";
    private WritePipeline _pipeline = null!;
    private MembershipOutbox _outbox = null!;
    private DeadlineTracker _deadline = null!;
    private StatsReport _stats = null!;
    private QualityReport _quality = null!;
    private CustomerSnapshots _snapshots = null!;

    // The last evaluation pass, so that the next one decides only the segments that can have changed.
    private readonly EvaluationMemo _memo = new();

    // Above zero while this customer runs (or waits to run) a step that freezes other customers: it refuses to be frozen.
    private int _coordinating;

    // The freeze this customer is in, while a primary writes the outcome.
    private FrozenStep? _frozen;

    // Retries the delivery of changes a primary decided for this customer, while a shard could not be reached.
    private IGrainTimer? _redelivery;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_store, _customerId) = GrainKeys.ParseCustomer(this.GetPrimaryKeyString());
        _pipeline = new WritePipeline(() =>
        {
            // Never snapshot memory ahead of storage: the next activation replays what was committed.
            _snapshots.Forget();
            DeactivateOnIdle();
        });
        _outbox = new MembershipOutbox(GrainFactory, _store, _customerId);
        _deadline = new DeadlineTracker(_customerId);
        _stats = new StatsReport(population, _store);
        _quality = new QualityReport(quality, _store, _customerId);
        _snapshots = new CustomerSnapshots(state, journal, _pipeline, time, logger, StartTimer, _store, _customerId);
        foreach (var (seq, entry) in await journal.ReadTailAsync(_store, _customerId, state.State.JournalSeq))
        {
            state.State = JournalReplay.Apply(state.State, seq, entry, behaviour.Value);
            _snapshots.Journaled();
        }

        _quality.Activated(state.State);

        // Changes whose shards may not have heard of them before the previous activation ended.
        await _outbox.FlushAsync(state.State, long.MaxValue, await segments.GetAsync(_store));
        _snapshots.ScheduleLater();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken token) => _snapshots?.TakeAsync() ?? Task.CompletedTask;

    public Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events) => RecordForwardedAsync(events, 0);

    public async Task<RecordResult> RecordForwardedAsync(ImmutableArray<CustomerEvent> events, int hops)
    {
        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        await _pipeline.EnterAsync();
        if (state.State.MergedInto is { } primary)
        {
            // ARCHITECTURE: Where identities are merged. The events keep their customer id: the primary knows whose they are.
            return await Customer(primary).RecordForwardedAsync(events, Hop(hops));
        }

        // Forwarded by an id this customer no longer answers for (an unmerge came between): they go back to it.
        var own = events;
        ImmutableArray<CustomerEvent> strangers = [];
        if (hops > 0 && events.Any(e => !CustomerMerge.Answers(state.State, _customerId, e.CustomerId)))
        {
            own = [.. events.Where(e => CustomerMerge.Answers(state.State, _customerId, e.CustomerId))];
            strangers = [.. events.Where(e => !CustomerMerge.Answers(state.State, _customerId, e.CustomerId))];
        }

        var decision = Decide(s => CustomerDecisions.Record(s, _customerId, own, catalog, population, time.GetUtcNow(), behaviour.Value, _memo));

        // All seen before: a retry, perhaps of a request still waiting for its commit. Answered once everything
        // queued so far is durable and has reached the shards.
        var through = _pipeline.Queued;
        await (decision.IsJournaled
            ? CommitAsync(decision, catalog)
            : _pipeline.AfterQueued(() => _outbox.FlushAsync(state.State, through, catalog)));
        var result = new RecordResult(decision.Accepted.Length, own.Length - decision.Accepted.Length - decision.Suppressed.Length, decision.Suppressed);
        foreach (var group in strangers.GroupBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            result += await Customer(group.Key).RecordForwardedAsync([.. group], Hop(hops));
        }

        if (decision.Suppressed.IsEmpty && CustomerMerge.NamesAny(own))
        {
            await MergeNamedAsync(own, decision.Accepted);
        }

        return result;
    }

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

    public async Task ReevaluateAsync(long catalogVersion)
    {
        if (state.State.Exists)
        {
            await ReevaluateAsync(await segments.GetAsync(_store, catalogVersion), d => $"segment:{d.Id}:v{d.Version}");
        }
    }

    public async Task WakeAsync(DateTimeOffset due)
    {
        if (state.State.Exists)
        {
            var catalog = await segments.GetAsync(_store);
            _deadline.Forget(); // the shard has dropped it: whatever comes next must be registered again
            if (await PurgeDueAsync(state.State))
            {
                // Checked again in the step that removes it: an event may have arrived in between.
                var population = await thresholds.GetAsync(_store);
                await RemoveAsync(catalog, "purged", suppress: false, s => CustomerDecisions.PurgeAt(s, population) <= time.GetUtcNow());
                return;
            }

            var cause = CustomerDecisions.DeadlineCause(due);
            await ReevaluateAsync(catalog, _ => cause);
        }
        else if (state.State.Decisions > 0)
        {
            await ForgetLeavesAsync();
        }
    }

    /// <summary>
    /// A removed customer's tombstone told the change feed which segments it left, for the feed's retention; that has
    /// passed: the tombstone is written again without them (an erasure's entry deletes every earlier row of the customer
    /// in the same commit), keeping only the decision count and any suppression.
    /// </summary>
    private async Task ForgetLeavesAsync()
    {
        var catalog = await segments.GetAsync(_store);
        await _pipeline.ExclusiveAsync(() =>
        {
            var s = state.State;
            // A customer merged into another is no removed one: it forwards, and its state says so.
            return s.Exists || s.MergedInto is not null
                ? Task.CompletedTask
                : CommitAsync(CustomerDecision.Nothing, catalog, new JournalEntry([], [], Erased: true, s.Decisions, Suppressed: s.SuppressedAt));
        });
    }

    public async Task<CustomerView?> GetViewAsync() =>
        state.State.MergedInto is { } primary ? await Customer(primary).GetViewAsync()
        : state.State.Exists ? CustomerViews.Of(state.State, _store, _customerId, await segments.GetAsync(_store), await thresholds.GetAsync(_store), time.GetUtcNow())
        : null;

    public async Task<ImmutableArray<string>> EvaluateAsync() =>
        state.State.MergedInto is { } primary ? await Customer(primary).EvaluateAsync()
        : state.State.Exists ? CustomerViews.Evaluate(state.State, await segments.GetAsync(_store), await thresholds.GetAsync(_store), time.GetUtcNow())
        : [];

    public async Task<bool> MatchesAsync(string ruleText) => state.State.Exists
        && CustomerViews.Matches(state.State, segments.Draft(ruleText), await segments.GetAsync(_store), await thresholds.GetAsync(_store), time.GetUtcNow());

    public async Task<ExplanationLookup> ExplainAsync(string segmentId) =>
        state.State.MergedInto is { } primary ? await Customer(primary).ExplainAsync(segmentId)
        : CustomerViews.Explain(state.State, _customerId, await segments.GetAsync(_store), await thresholds.GetAsync(_store), segmentId, time.GetUtcNow());

    public async Task<MembershipHistory?> HistoryAsync(HistoryQuery query) =>
        state.State.MergedInto is { } primary ? await Customer(primary).HistoryAsync(query)
        : state.State.Exists ? await CustomerHistory.ReadAsync(journal, _store, _customerId, await segments.GetAsync(_store), query, time.GetUtcNow())
        : null;

    public async Task<CustomerExport?> ExportAsync()
    {
        if (state.State.MergedInto is { } primary)
        {
            return await Customer(primary).ExportAsync();
        }

        if (!state.State.Exists)
        {
            return null;
        }

        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        var now = time.GetUtcNow();

        // The state's part is taken in one synchronous step (one moment's state), before the reads of the journal.
        var s = state.State;
        var view = CustomerViews.Of(s, _store, _customerId, catalog, population, now);
        var export = new CustomerExport(
            view,
            s.Profile.ToImmutableDictionary(StringComparer.Ordinal),
            [],
            [.. s.Recent],
            s.Orders.ToImmutableDictionary(StringComparer.Ordinal),
            s.Refunds.ToImmutableDictionary(StringComparer.Ordinal),
            s.TypeTotals.ToImmutableDictionary(StringComparer.Ordinal),
            s.Daily.ToImmutableDictionary(d => d.Key, d => d.Value.ToImmutableArray(), StringComparer.Ordinal),
            s.EvictedThrough,
            [],
            now - journal.ChangeRetention);

        // Every event an entry still held carries, as sent, once each (a resent event is in one entry only: the
        // journal records what was applied); of a merged customer, those the journals of the ids merged into it still hold too.
        var held = new List<CustomerEvent>();
        foreach (var id in CustomerMerge.Ids(s, _customerId))
        {
            held.AddRange((await journal.ReadTailAsync(_store, id, 0)).SelectMany(e => e.Entry.Events));
        }

        var events = held.DistinctBy(e => e.Id, StringComparer.Ordinal).OrderBy(e => e.Timestamp).ToImmutableArray();
        var history = ImmutableArray.CreateBuilder<HistoryItem>();
        HistoryQuery? query = new(null, null, 0, 1000);
        while (query is not null)
        {
            var page = await CustomerHistory.ReadAsync(journal, _store, _customerId, catalog, query, now);
            history.AddRange(page.Items);
            query = page.NextSeq is { } next ? query with { ThroughSeq = next, ThroughIndex = page.NextIndex } : null;
        }

        return export with { JournalEvents = events, History = history.DrainToImmutable() };
    }

    public async Task<Models.LookalikeCase?> DescribeAsync(string seed, ImmutableArray<string> features)
    {
        if (!state.State.Exists)
        {
            return null;
        }

        var catalog = await segments.GetAsync(_store);
        return CustomerViews.Describe(state.State, catalog, seed, features, time.GetUtcNow());
    }

    public async Task<double?> LookalikeScoreAsync(string lookalike) => state.State.Exists
        ? RuleValues.AsNumber(new CustomerFacts(state.State, population: await thresholds.GetAsync(_store)).Lookalike(lookalike, time.GetUtcNow()))
        : null;

    public Task<Quality.QualityUpdate> QualityAsync() => Task.FromResult(_quality.Current(state.State));

    public Task<bool> EraseAsync() => RemoveAsync(null, "erased", suppress: true, _ => true);

    /// <summary>
    /// Removes the customer everywhere (an erasure; a purge by the store's retention, whose id is not suppressed) if
    /// <paramref name="still"/> holds of its state when the step that removes it runs.
    /// </summary>
    private async Task<bool> RemoveAsync(CompiledCatalog? catalog, string cause, bool suppress, Func<CustomerState, bool> still)
    {
        while (true)
        {
            if (state.State.MergedInto is { } primary)
            {
                // An id merged into another is that person: erasing it erases them, with every id of theirs. A purge
                // is the person's (its primary's inactivity), never one merged id's.
                return suppress && await Customer(primary).EraseAsync();
            }

            catalog ??= await segments.GetAsync(_store);
            var current = catalog;
            bool? removed = null;
            await CoordinateAsync(async () => removed = await RemoveAloneAsync(current, cause, suppress, still));
            if (removed is { } done)
            {
                return done;
            }
        }
    }

    public async Task<bool> LiftSuppressionAsync()
    {
        var lifted = false;
        var catalog = await segments.GetAsync(_store);
        await _pipeline.ExclusiveAsync(async () =>
        {
            var s = state.State;
            if (s.SuppressedAt is null)
            {
                return;
            }

            await CommitAsync(CustomerDecision.Nothing, catalog, new JournalEntry([], [], Erased: false, s.Decisions, Lifted: true));
            s.SuppressedAt = null;
            lifted = true;
        });
        return lifted;
    }

    /// <summary>Null: this customer was merged into another meanwhile (an erasure goes there).</summary>
    private async Task<bool?> RemoveAloneAsync(CompiledCatalog catalog, string cause, bool suppress, Func<CustomerState, bool> still)
    {
        var s = state.State;
        if (s.MergedInto is not null)
        {
            return null;
        }

        if ((!s.Exists && !s.Registered) || !still(s))
        {
            return false;
        }

        // The ids merged into this customer are the same person: each is frozen, and its own tombstone is written in the
        // same transaction as this one's.
        var now = time.GetUtcNow();
        DateTimeOffset? suppressed = suppress ? now : null;
        var secondaries = new List<(string Id, Guid Token, JournalEntry Tombstone)>();
        foreach (var id in CustomerMerge.Ids(s, _customerId).Where(id => id != _customerId))
        {
            var token = Guid.NewGuid();
            if ((await Customer(id).FreezeAsync(new FreezeRequest(_customerId, token, FreezeIntent.Erase))).State is { } frozen)
            {
                secondaries.Add((id, token, new JournalEntry([], [], Erased: true, frozen.Decisions, Suppressed: suppressed)));
            }
        }

        // One durable step removes the journal, membership rows, deadline and index entry and leaves a tombstone (which,
        // for an erasure, suppresses the id), so a crash anywhere after it still replays to a removed customer. The
        // leaves reach the shards after it.
        Task<long>[] group = [];
        try
        {
            var tombstone = new JournalEntry([], [], Erased: true, s.Decisions, Suppressed: suppressed);
            var companions = secondaries.ConvertAll(e => journal.Write(_store, e.Id, e.Tombstone, deadline: new DeadlineChange(DeadlineShards.Of(e.Id), null)));
            await CommitAsync(
                Decide(s => new CustomerDecision([], CustomerDecisions.Erase(s, _customerId, now, cause), null)), catalog, tombstone,
                companions.Count > 0 ? companions : null, submitted => group = submitted);
        }
        finally
        {
            for (var i = 0; i < secondaries.Count; i++)
            {
                await ThawAsync(secondaries[i].Id, Outcome(secondaries[i].Token, group, i, secondaries[i].Tombstone));
            }
        }

        _stats.Erased(s);
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        // The shards keep the leaves as this customer's last decisions: a customer of the same id later on (once an
        // erasure's suppression is lifted) numbers its decisions on from there.
        state.State = new CustomerState { Decisions = s.Decisions, SuppressedAt = suppressed };
        _snapshots.Forget();
        DeactivateOnIdle();
        return true;
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

    private MergeResult Result(MergeOutcome outcome) =>
        new(outcome, _customerId, [.. CustomerMerge.Ids(state.State, _customerId).Where(id => id != _customerId)]);

    private int Hop(int hops) => hops < identity.Value.MaxIds + 1
        ? hops + 1
        : throw new InvalidOperationException("events were forwarded between merged customers more often than a customer has ids");

    private ICustomerGrain Customer(string customerId) => GrainFactory.Get<ICustomerGrain>(GrainKeys.Customer(_store, customerId));

    private static PurchaseRow Purchases(CustomerState s) =>
        PurchaseRow.OfOrders(PurchaseOrderCodec.Encode(CustomerFacts.PurchaseOrders(s)), s.Orders.Count, CustomerBehaviour.Revenue(s));

    private static readonly PurchaseRow NoPurchases = new([], 0, 0);

    private async Task ReevaluateAsync(CompiledCatalog catalog, Func<SegmentDefinition, string> cause)
    {
        var population = await thresholds.GetAsync(_store);
        await _pipeline.EnterAsync();
        var decision = Decide(s => CustomerDecisions.Reevaluate(s, _customerId, catalog, population, time.GetUtcNow(), cause, _memo));
        if (state.State.Exists)
        {
            await CommitAsync(decision, catalog);
        }
    }

    /// <summary>
    /// Decides in one synchronous step (after any step that runs alone: <see cref="WritePipeline.EnterAsync"/>); the
    /// commit that follows is queued before the next await, so no other request interleaves between a decision and its write. A decision that fails halfway leaves memory ahead of storage (a
    /// retry would look like a duplicate): the activation is replaced.
    /// </summary>
    private CustomerDecision Decide(Func<CustomerState, CustomerDecision> decide)
    {
        _pipeline.ThrowIfBroken();
        try
        {
            return decide(state.State);
        }
        catch (Exception error)
        {
            _pipeline.Break(error);
            throw;
        }
    }

    /// <summary>
    /// Queues the journal write for a decision (events, membership rows, deadline; or an erasure's tombstone, a lift of
    /// its suppression, a merge's or unmerge's entry: <paramref name="special"/>), then waits until it is durable and
    /// everything it decided has reached the shards. Synchronous up to the queued write. With <paramref name="companions"/>
    /// (other customers' writes: the other side of a merge), all are queued as one group that commits together, and
    /// <paramref name="submitted"/> gets their tasks, this write's last.
    /// </summary>
    private Task CommitAsync(
        CustomerDecision decision, CompiledCatalog catalog, JournalEntry? special = null,
        IReadOnlyList<JournalWrite>? companions = null, Action<Task<long>[]>? submitted = null)
    {
        var s = state.State;
        var erase = special is { Erased: true };
        try
        {
            // A removal's leaves stay in its entry for the change feed's retention; a wake then drops them (WakeAsync).
            var now = time.GetUtcNow();
            var deadline = !erase ? _deadline.Change(decision.NextDeadline, now)
                : decision.Changes.IsEmpty ? _deadline.Clear()
                : _deadline.Change(now + journal.ChangeRetention, now);
            // Written when its orders may have changed, and once by a customer whose row predates the order list (migration 9).
            var purchases = !erase && (decision.HasPurchases || (!s.OrdersRecorded && s.Orders.Count > 0))
                ? Purchases(s)
                : null;
            if (!decision.IsJournaled && special is null && deadline is null && purchases is null)
            {
                // Nothing to write; answered once earlier requests' decisions are delivered (a backfill's pass counts on it).
                return _pipeline.AfterQueued(() => Task.CompletedTask);
            }

            var number = _pipeline.Queued + 1;
            var rows = _outbox.Stage(s, decision.Changes, number, catalog);
            var entry = special is { Erased: true } or { Identity: not null }
                ? special with { Members = rows }
                : special ?? (decision.IsJournaled ? new JournalEntry(decision.Accepted, rows, Erased: false) : null);
            var register = entry is { Erased: false, Lifted: false } && !s.Registered;
            s.Registered = entry is null || entry.Lifted ? s.Registered : !entry.Erased;
            s.PurchasesRecorded = purchases is not null || (s.PurchasesRecorded && !erase);
            s.OrdersRecorded = purchases is not null || (s.OrdersRecorded && !erase);
            return _pipeline.Queue(
                after =>
                {
                    if (companions is null)
                    {
                        return journal.WriteAsync(_store, _customerId, entry, register, deadline, after, purchases);
                    }

                    var group = journal.WriteGroupAsync([.. companions, journal.Write(_store, _customerId, entry, register, deadline, after, purchases)]);
                    submitted?.Invoke(group);
                    return group[^1];
                },
                sequence => AfterCommitAsync(sequence, number, entry, decision.HasPurchases, deadline, catalog));
        }
        catch (Exception error)
        {
            // Decided, but never queued: memory is ahead of storage.
            _pipeline.Break(error);
            throw;
        }
    }

    /// <summary>
    /// After a commit, in write order: the shards hear of the membership changes it made durable, the store's
    /// statistics of this customer's new place in them, and the deadline shard of the new deadline.
    /// </summary>
    private async Task AfterCommitAsync(long sequence, long number, JournalEntry? entry, bool purchases, DeadlineChange? deadline, CompiledCatalog catalog)
    {
        var s = state.State;
        if (entry is { Erased: false })
        {
            s.JournalSeq = Math.Max(s.JournalSeq, sequence);
            _snapshots.Journaled();
        }

        await _outbox.FlushAsync(s, number, catalog, trustUnstamped: !_pipeline.IsBroken);
        _stats.AfterCommit(s, purchases);
        _quality.AfterCommit(s, entry, sequence);
        if (deadline is not null)
        {
            await DeadlineShards.Grain(GrainFactory, _store, deadline.Shard).SetAsync(_customerId, deadline.Due);
        }

        if (entry is { Erased: false })
        {
            _snapshots.AfterCommit();
        }
    }

    private async Task<bool> PurgeDueAsync(CustomerState s) =>
        CustomerDecisions.PurgeAt(s, await thresholds.GetAsync(_store)) <= time.GetUtcNow();

    private IGrainTimer StartTimer(Func<Task> callback, TimeSpan due) =>
        this.RegisterGrainTimer(_ => callback(), new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = true });

    /// <summary>A freeze in progress: the thaw it waits for, and whether that was applied.</summary>
    private sealed class FrozenStep(Guid token)
    {
        public Guid Token { get; } = token;

        public TaskCompletionSource<Thaw> Thawed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
