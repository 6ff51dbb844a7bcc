using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
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
    CustomerJournal journal,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    IOptions<BehaviourOptions> behaviour,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    private string _store = "";
    private string _customerId = "";
    private WritePipeline _pipeline = null!;
    private MembershipOutbox _outbox = null!;
    private DeadlineTracker _deadline = null!;
    private StatsReport _stats = null!;
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
        _snapshots = new CustomerSnapshots(state, journal, _pipeline, time, logger, StartTimer, _store, _customerId);
        foreach (var (seq, entry) in await journal.ReadTailAsync(_store, _customerId, state.State.JournalSeq))
        {
            state.State = JournalReplay.Apply(state.State, seq, entry);
            _snapshots.Journaled();
        }

        // Changes whose shards may not have heard of them before the previous activation ended.
        await _outbox.FlushAsync(state.State, long.MaxValue, await segments.GetAsync(_store));
        _snapshots.ScheduleLater();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken token) => _snapshots?.TakeAsync() ?? Task.CompletedTask;

    public async Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events)
    {
        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        await _pipeline.EnterAsync();
        var decision = Decide(s => CustomerDecisions.Record(s, _customerId, events, catalog, population, time.GetUtcNow(), behaviour.Value, _memo));

        // All seen before: a retry, perhaps of a request still waiting for its commit. Answered once everything
        // queued so far is durable and has reached the shards.
        var through = _pipeline.Queued;
        await (decision.IsJournaled
            ? CommitAsync(decision, catalog)
            : _pipeline.AfterQueued(() => _outbox.FlushAsync(state.State, through, catalog)));
        return new RecordResult(decision.Accepted.Length, events.Length - decision.Accepted.Length);
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
            var cause = CustomerDecisions.DeadlineCause(due);
            await ReevaluateAsync(catalog, _ => cause);
        }
    }

    public async Task<CustomerView?> GetViewAsync() => state.State.Exists
        ? CustomerViews.Of(state.State, _store, _customerId, await segments.GetAsync(_store), await thresholds.GetAsync(_store), time.GetUtcNow())
        : null;

    public async Task<ImmutableArray<string>> EvaluateAsync() => state.State.Exists
        ? CustomerViews.Evaluate(state.State, await segments.GetAsync(_store), await thresholds.GetAsync(_store), time.GetUtcNow())
        : [];

    public async Task<bool> MatchesAsync(string ruleText) => state.State.Exists
        && CustomerViews.Matches(state.State, segments.Draft(ruleText), await segments.GetAsync(_store), await thresholds.GetAsync(_store), time.GetUtcNow());

    public async Task<ExplanationLookup> ExplainAsync(string segmentId) =>
        CustomerViews.Explain(state.State, _customerId, await segments.GetAsync(_store), await thresholds.GetAsync(_store), segmentId, time.GetUtcNow());

    public async Task<MembershipHistory?> HistoryAsync(HistoryQuery query) => state.State.Exists
        ? await CustomerHistory.ReadAsync(journal, _store, _customerId, await segments.GetAsync(_store), query, time.GetUtcNow())
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

    public async Task<bool> EraseAsync()
    {
        var erased = false;
        var catalog = await segments.GetAsync(_store);
        await _pipeline.ExclusiveAsync(async () =>
        {
            var s = state.State;
            if (!s.Exists && !s.Registered)
            {
                return;
            }

            // One durable step removes the journal, membership rows, deadline and index entry and leaves a tombstone,
            // so a crash anywhere after it still replays to an erased customer. The leaves reach the shards after it.
            await CommitAsync(Decide(s => new CustomerDecision([], CustomerDecisions.Erase(s, _customerId, time.GetUtcNow()), null)), catalog, erase: true);
            _stats.Erased(s);
            if (state.RecordExists)
            {
                await state.ClearStateAsync();
            }

            // The shards keep the erasure's leaves as this customer's last decisions: a customer of the same id later
            // on numbers its decisions on from there.
            state.State = new CustomerState { Decisions = s.Decisions };
            _snapshots.Forget();
            DeactivateOnIdle();
            erased = true;
        });
        return erased;
    }

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
    /// Queues the journal write for a decision (events, membership rows, deadline; or an erasure), then waits until it
    /// is durable and everything it decided has reached the shards. Synchronous up to the queued write.
    /// </summary>
    private Task CommitAsync(CustomerDecision decision, CompiledCatalog catalog, bool erase = false)
    {
        var s = state.State;
        try
        {
            var deadline = erase ? _deadline.Clear() : _deadline.Change(decision.NextDeadline, time.GetUtcNow());
            // Written when its orders may have changed, and once by a customer whose row predates the order list (migration 9).
            var purchases = !erase && (decision.HasPurchases || (!s.OrdersRecorded && s.Orders.Count > 0))
                ? PurchaseRow.OfOrders(PurchaseOrderCodec.Encode(CustomerFacts.PurchaseOrders(s)), s.Orders.Count, CustomerBehaviour.Revenue(s))
                : null;
            if (!decision.IsJournaled && deadline is null && purchases is null)
            {
                // Nothing to write; answered once earlier requests' decisions are delivered (a backfill's pass counts on it).
                return _pipeline.AfterQueued(() => Task.CompletedTask);
            }

            var number = _pipeline.Queued + 1;
            var rows = _outbox.Stage(s, decision.Changes, number, catalog);
            var entry = erase ? new JournalEntry([], [], Erased: true, s.Decisions)
                : decision.IsJournaled ? new JournalEntry(decision.Accepted, rows, Erased: false)
                : null;
            var register = entry is { Erased: false } && !s.Registered;
            s.Registered = entry is null ? s.Registered : !entry.Erased;
            s.PurchasesRecorded = purchases is not null || (s.PurchasesRecorded && !erase);
            s.OrdersRecorded = purchases is not null || (s.OrdersRecorded && !erase);
            return _pipeline.Queue(
                after => journal.WriteAsync(_store, _customerId, entry, register, deadline, after, purchases),
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
