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
/// snapshots (<see cref="CustomerSnapshots"/>). The path of a request through them: docs/ARCHITECTURE.md. Two more
/// files hold its other parts: identity merges (CustomerGrain.Identity.cs) and privacy and retention
/// (CustomerGrain.Privacy.cs).
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
public sealed partial class CustomerGrain(
    [PersistentState(StorageNames.CustomerState, StorageNames.Provider)] IPersistentState<CustomerState> state,
    SegmentRuleCache segments,
    PopulationCache thresholds,
    PopulationReporter population,
    QualityReporter quality,
    CustomerJournal journal,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    IOptions<BehaviourOptions> behaviour,
    IOptions<IdentityOptions> identity,
    IdentityKeyRows identityKeys,
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

        var held = TraitMatching.Of(state.State, population.Matching, identity.Value);
        var decision = Decide(s => CustomerDecisions.Record(s, _customerId, own, catalog, population, time.GetUtcNow(), behaviour.Value, _memo));
        var keys = decision.IsJournaled ? TraitMatching.Changes(held, TraitMatching.Of(state.State, population.Matching, identity.Value)) : [];

        // All seen before: a retry, perhaps of a request still waiting for its commit. Answered once everything
        // queued so far is durable and has reached the shards.
        var through = _pipeline.Queued;
        await (decision.IsJournaled
            ? CommitAsync(decision, catalog, keys: keys)
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

        if (decision.Suppressed.IsEmpty && keys.Any(k => k.Held))
        {
            await MergeMatchingAsync(keys);
        }

        return result;
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

    private static PurchaseRow Purchases(CustomerState s) =>
        PurchaseRow.OfOrders(PurchaseOrderCodec.Encode(CustomerFacts.PurchaseOrders(s)), s.Orders.Count, CustomerBehaviour.Revenue(s));

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
    /// everything it decided has reached the shards, with the claims on matching-trait keys that changed (<paramref name="keys"/>).
    /// Synchronous up to the queued write. With <paramref name="companions"/>
    /// (other customers' writes: the other side of a merge), all are queued as one group that commits together, and
    /// <paramref name="submitted"/> gets their tasks, this write's last.
    /// </summary>
    private Task CommitAsync(
        CustomerDecision decision, CompiledCatalog catalog, JournalEntry? special = null,
        IReadOnlyList<JournalWrite>? companions = null, Action<Task<long>[]>? submitted = null, ImmutableArray<IdentityKeyRow> keys = default)
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
                        return journal.WriteAsync(_store, _customerId, entry, register, deadline, after, purchases, keys);
                    }

                    var group = journal.WriteGroupAsync([.. companions, journal.Write(_store, _customerId, entry, register, deadline, after, purchases, keys: keys)]);
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

    private IGrainTimer StartTimer(Func<Task> callback, TimeSpan due) =>
        this.RegisterGrainTimer(_ => callback(), new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = true });
}
