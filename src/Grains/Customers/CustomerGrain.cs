using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Durability: a request is acknowledged once its journal entry (events + membership rows) is committed
/// by the silo's group-committing <see cref="JournalWriter"/>. The grain state is a snapshot written
/// behind; on activation the journal entries after the snapshot are replayed.
/// <para>
/// Pipelining: a busy customer does not hold its next request back while the previous one waits for its
/// commit. Each mutating request fetches what it needs, then in one synchronous step applies, decides and
/// queues its journal write (chained to the previous one: it commits only if that one did); only then
/// does it wait. What follows a commit (telling the shards, the deadline shard) runs strictly in write
/// order, and sends only changes that are durable. Snapshots and erasure run alone, once every queued
/// write has settled. Reads (the view, evaluations) see the newest applied state, which may include
/// events whose request is still waiting for its commit; segment shards only ever hear durable decisions.
/// </para>
/// </summary>
[Reentrant]
public sealed class CustomerGrain(
    [PersistentState(StorageNames.CustomerState, StorageNames.Provider)] IPersistentState<CustomerState> state,
    SegmentRuleCache segments,
    JournalWriter journal,
    JournalTailReader journalTail,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    IOptions<BehaviourOptions> behaviour,
    IOptions<JournalOptions> journalOptions,
    Classification.PopulationReporter population,
    Classification.PopulationCache thresholds,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
    private string _store = "";
    private string _customerId = "";
    private int _unsnapshotted;
    private IGrainTimer? _snapshotTimer;

    // The deadline last queued for this customer (at or before the true next one); unknown until this activation first evaluates.
    private DateTimeOffset? _deadline;
    private bool _deadlineKnown;

    // The pipeline: the newest queued journal write, the step after the newest commit (settled: never
    // faults), how many writes were queued, and outbox entries not yet covered by a commit.
    private Task<long>? _lastWrite;
    private Task _tail = Task.CompletedTask;
    private long _queued;
    private readonly Dictionary<string, (MembershipChange Change, long Write)> _undurable = new(StringComparer.Ordinal);

    // A step that runs alone (snapshot, erasure); mutating requests wait for it before applying anything.
    private Task _exclusive = Task.CompletedTask;

    // Set when a queued write failed: the in-memory state is ahead of storage, so this activation serves no more writes.
    private Exception? _broken;

    // The last evaluation pass, so that the next one decides only the segments that can have changed.
    private readonly EvaluationMemo _memo = new();

    // Whether this activation has reported the customer's statistics (value, orders, last order) once.
    private bool _statsChecked;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_store, _customerId) = GrainKeys.ParseCustomer(this.GetPrimaryKeyString());
        foreach (var (seq, entry) in await journalTail.ReadTailAsync(_store, _customerId, state.State.JournalSeq))
        {
            Replay(seq, entry);
            _unsnapshotted++;
        }

        // Changes whose shards may not have heard of them before the previous activation ended.
        await FlushOutboxAsync(long.MaxValue);
        if (_unsnapshotted > 0)
        {
            ScheduleSnapshot();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_broken is not null)
        {
            // Never snapshot state ahead of storage; the next activation replays what was committed.
            return;
        }

        try
        {
            await ExclusiveAsync(SnapshotCoreAsync);
        }
        catch (Exception error)
        {
            // The journal still holds everything; the next activation replays a longer tail.
            logger.LogFailure(LogLevel.Warning, error, "Snapshot on deactivation failed for a customer of store {Store}", _store);
        }
    }

    public async Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events)
    {
        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        await EnterAsync();
        ThrowIfBroken();

        // From here to the queued write: one synchronous step, so no other request interleaves with it.
        var s = state.State;
        var accepted = ImmutableArray.CreateBuilder<CustomerEvent>();
        var changes = new StateChanges();
        Task step;
        try
        {
            foreach (var sent in events)
            {
                // From an Api of an older build during an upgrade, an event's properties arrive in the old field.
                var e = sent.Current();
                if (CustomerBehaviour.Apply(s, e))
                {
                    accepted.Add(e);
                    changes.Accepted(e);
                }
            }

            if (accepted.Count == 0)
            {
                // All seen before: a retry, perhaps of a request still waiting for its commit. Answer once
                // everything queued so far is durable and has reached the shards (in write order, like any step).
                step = ResendAsync(_tail, _queued);
                _tail = Settled(step);
            }
            else
            {
                var now = time.GetUtcNow();
                if (CustomerBehaviour.Prune(s, now, behaviour.Value))
                {
                    changes.Evicted();
                }

                var newest = accepted.MaxBy(e => e.Timestamp)!;
                var outcome = SegmentEvaluation.Evaluate(s, _customerId, catalog, now, _ => $"event:{newest.Id}", population, changes, _memo);
                step = QueueAsync(new JournalEntry(accepted.ToImmutable(), MemberRows(catalog), Erased: false), DeadlineChangeFor(outcome.NextDeadline, now));
            }
        }
        catch (Exception error) when (_broken is null)
        {
            // Applied, perhaps, but never queued: memory is ahead of storage (a retry would look like a duplicate).
            Break(error);
            throw;
        }

        await step;
        return new RecordResult(accepted.Count, events.Length - accepted.Count);
    }

    public async Task ReevaluateAsync(long catalogVersion)
    {
        if (!state.State.Exists)
        {
            return;
        }

        var catalog = await segments.GetAsync(_store, catalogVersion);
        await ReevaluateAsync(catalog, d => $"segment:{d.Id}:v{d.Version}");
    }

    public async Task WakeAsync(DateTimeOffset due)
    {
        if (!state.State.Exists)
        {
            return;
        }

        var catalog = await segments.GetAsync(_store);
        var cause = $"deadline:{due.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)}";
        _deadlineKnown = false; // the shard has dropped it: whatever comes next must be registered again
        await ReevaluateAsync(catalog, _ => cause);
    }

    public async Task<CustomerView?> GetViewAsync()
    {
        var s = state.State;
        if (!s.Exists)
        {
            return null;
        }

        var catalog = await segments.GetAsync(_store);
        var memberOf = catalog.Segments
            .Where(c => !c.Definition.Pending && s.Memberships.ContainsKey(c.Key))
            .Select(c => (c.Definition.Id, Membership: s.Memberships[c.Key]))
            .Select(x => new CustomerSegment(x.Id, x.Membership.EnteredAt, x.Membership.Cause))
            .ToImmutableArray();
        var now = time.GetUtcNow();
        var traits = CustomerBehaviour.ComputeTraits(s, now);
        var population = await thresholds.GetAsync(_store);
        return new CustomerView(
            _customerId,
            s.Profile.ToImmutableDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal),
            traits,
            memberOf,
            Classification.Lifecycle.Of(traits.FirstOrderAt, traits.LastOrderAt, now, population.Settings),
            new CustomerFacts(s, population: population).Class);
    }

    public async Task<ImmutableArray<string>> EvaluateAsync()
    {
        if (!state.State.Exists)
        {
            return [];
        }

        // Fresh, in catalog order: a segment read with in_segment is judged by this evaluation too.
        var catalog = await segments.GetAsync(_store);
        var now = time.GetUtcNow();
        var satisfied = new HashSet<string>(StringComparer.Ordinal);
        var facts = new CustomerFacts(state.State, satisfied.Contains, await thresholds.GetAsync(_store));
        foreach (var segment in catalog.Segments.Where(s => !s.Definition.Pending && s.Rule.Evaluate(facts, now)))
        {
            satisfied.Add(segment.Definition.Id);
        }

        return [.. catalog.Segments.Select(s => s.Definition.Id).Where(satisfied.Contains)];
    }

    public async Task<bool> MatchesAsync(string ruleText)
    {
        if (!state.State.Exists)
        {
            return false;
        }

        var catalog = await segments.GetAsync(_store);
        var facts = new CustomerFacts(state.State, SegmentEvaluation.InServing(state.State, catalog), await thresholds.GetAsync(_store));
        return segments.Draft(ruleText).Evaluate(facts, time.GetUtcNow());
    }

    public async Task<bool> EraseAsync()
    {
        var erased = false;
        await ExclusiveAsync(EraseCoreAsync);
        return erased;

        async Task EraseCoreAsync()
        {
            var s = state.State;
            if (!s.Exists && !s.Registered)
            {
                return;
            }

            Task step;
            try
            {
                var now = time.GetUtcNow();
                foreach (var (key, membership) in s.Memberships)
                {
                    s.Outbox[key] = new MembershipChange(_customerId, membership.SegmentUid, false, now, "erased", ++s.Decisions);
                }

                // One durable step removes the journal, membership rows, deadline and index entry and leaves a
                // tombstone, so a crash anywhere after it still replays to an erased customer.
                step = QueueAsync(new JournalEntry([], [], Erased: true, s.Decisions), new DeadlineChange(DeadlineShards.Of(_customerId), null));
            }
            catch (Exception error) when (_broken is null)
            {
                // The leaves are in the outbox but not queued: they must never reach the shards.
                Break(error);
                throw;
            }

            await step;
            population.Report(_store, s.ReportedStats, null);
            if (state.RecordExists)
            {
                await state.ClearStateAsync();
            }

            // The shards keep the erasure's leaves as this customer's last decisions: a customer of the same id
            // later on numbers its decisions on from there.
            state.State = new CustomerState { Decisions = s.Decisions };
            _unsnapshotted = 0;
            DeactivateOnIdle();
            erased = true;
        }
    }

    private void Replay(long seq, JournalEntry entry)
    {
        if (entry.Erased)
        {
            state.State = new CustomerState { Decisions = Math.Max(state.State.Decisions, entry.Decisions) };
        }

        var s = state.State;
        foreach (var e in entry.Events)
        {
            CustomerBehaviour.Apply(s, e);
        }

        foreach (var row in entry.Members)
        {
            var change = row.Change;
            var key = change.SegmentUid.ToString("N");
            s.Decisions = Math.Max(s.Decisions, change.Decision);
            if (change.IsMember)
            {
                s.Memberships[key] = new Membership(change.SegmentUid, change.EnteredAt, change.Cause);
            }
            else
            {
                s.Memberships.Remove(key);
            }

            s.Outbox[key] = change;
        }

        s.JournalSeq = seq;
        s.Registered = !entry.Erased;
    }

    private async Task ReevaluateAsync(CompiledCatalog catalog, Func<SegmentDefinition, string> cause)
    {
        var population = await thresholds.GetAsync(_store);
        await EnterAsync();
        ThrowIfBroken();
        if (!state.State.Exists)
        {
            return;
        }

        Task step;
        try
        {
            var now = time.GetUtcNow();
            // Nothing of the customer changed since the last pass: time moved (a deadline) or the catalog did.
            var (changes, next) = SegmentEvaluation.Evaluate(state.State, _customerId, catalog, now, cause, population, StateChanges.None, _memo);
            var deadline = DeadlineChangeFor(next, now);
            step = changes > 0 ? QueueAsync(new JournalEntry([], MemberRows(catalog), Erased: false), deadline)
                : deadline is not null ? QueueAsync(null, deadline)
                : Task.CompletedTask;
        }
        catch (Exception error) when (_broken is null)
        {
            // Decided, perhaps, but never queued: memory is ahead of storage.
            Break(error);
            throw;
        }

        await step;
    }

    /// <summary>
    /// What the deadline shard and the stored row must hear of the next deadline over every segment (decided by
    /// the evaluation pass), if anything. They hold a lower bound of the truth: a deadline that moved later (or
    /// went away) is left where it is until it fires; that early wake finds nothing due and registers the real
    /// one (<see cref="WakeAsync"/>). Activity moves some deadlines later with every event (each visit pushes
    /// <c>days_since(last_seen) &lt; 7</c> back by a visit's worth), and those touches then write no deadline and
    /// make no call to the shard.
    /// </summary>
    private DeadlineChange? DeadlineChangeFor(DateTimeOffset? next, DateTimeOffset now)
    {
        if (_deadlineKnown && (next == _deadline || (_deadline is { } held && held > now && (next is null || next > held))))
        {
            return null;
        }

        _deadline = next;
        _deadlineKnown = true;
        return new DeadlineChange(DeadlineShards.Of(_customerId), next);
    }

    /// <summary>
    /// Queues a write decided in the synchronous step that precedes this call, then waits until it is
    /// durable and everything it decided has reached the shards. No await comes before the write is queued.
    /// </summary>
    private Task QueueAsync(JournalEntry? entry, DeadlineChange? deadline)
    {
        ThrowIfBroken();
        var s = state.State;
        var number = ++_queued;
        var write = journal.WriteAsync(new JournalWrite(
            _store, _customerId, entry, Register: entry is { Erased: false } && !s.Registered, Deadline: deadline, After: _lastWrite));
        _lastWrite = write;
        if (entry is not null)
        {
            s.Registered = !entry.Erased;
        }

        // The outbox entries this step decided become deliverable once this write commits.
        foreach (var (key, change) in s.Outbox)
        {
            if (!IsQueued(key, change))
            {
                _undurable[key] = (change, number);
            }
        }

        var step = AfterWriteAsync(_tail, write, number, entry, deadline);
        _tail = Settled(step);
        return step;
    }

    /// <summary>
    /// After a commit, in write order: the shards hear of the membership changes it made durable, the
    /// deadline shard of the new deadline, and the store's population statistics of this customer's new
    /// place in them.
    /// </summary>
    private async Task AfterWriteAsync(Task previous, Task<long> write, long number, JournalEntry? entry, DeadlineChange? deadline)
    {
        long sequence;
        try
        {
            sequence = await write;
        }
        catch (Exception error)
        {
            Break(error);
            throw;
        }

        await previous;
        var s = state.State;
        if (entry is { Erased: false })
        {
            s.JournalSeq = Math.Max(s.JournalSeq, sequence);
            _unsnapshotted++;
        }

        await FlushOutboxAsync(number);

        // Only orders and refunds move the statistics; an activation's first write checks them once, since its
        // replayed tail may hold orders they do not cover yet.
        if (!_statsChecked || HasPurchases(entry))
        {
            var stats = s.Exists ? CustomerFacts.Stats(s) : null;
            if (stats != s.ReportedStats)
            {
                population.Report(_store, s.ReportedStats, stats);
                s.ReportedStats = stats;
            }

            _statsChecked = true;
        }

        if (deadline is not null)
        {
            await DeadlineShards.Grain(GrainFactory, _store, deadline.Shard).SetAsync(_customerId, deadline.Due);
        }

        if (entry is { Erased: false })
        {
            if (_unsnapshotted >= SnapshotAfter(s))
            {
                // Not awaited: a snapshot waits for every queued write, this request's own step among them.
                _ = SnapshotNowAsync();
            }
            else
            {
                ScheduleSnapshot();
            }
        }
    }

    private static bool HasPurchases(JournalEntry? entry) =>
        entry is not null && entry.Events.Any(e => EventTypes.IsPurchase(e.Type));

    private async Task ResendAsync(Task previous, long through)
    {
        await previous;
        ThrowIfBroken();
        await FlushOutboxAsync(through);
    }

    /// <summary>A failed write leaves memory ahead of storage: forget this activation, refuse further writes.</summary>
    private void Break(Exception error)
    {
        if (_broken is null)
        {
            _broken = error;

            // Never snapshot it on the way out: the journal holds everything committed; the next activation replays it.
            _unsnapshotted = 0;
            DeactivateOnIdle();
        }
    }

    private void ThrowIfBroken()
    {
        if (_broken is not null)
        {
            throw new Orleans.Storage.InconsistentStateException(
                "an earlier write of this customer failed; its activation is being replaced, retry", _broken);
        }
    }

    /// <summary>Waits while a step that runs alone is running.</summary>
    private async Task EnterAsync()
    {
        while (!_exclusive.IsCompleted)
        {
            await _exclusive;
        }
    }

    /// <summary>Runs a step alone, once every queued write has settled; mutating requests wait meanwhile.</summary>
    private async Task ExclusiveAsync(Func<Task> step)
    {
        await EnterAsync();
        var done = new TaskCompletionSource();
        _exclusive = done.Task;
        try
        {
            await _tail;
            await step();
        }
        finally
        {
            done.SetResult();
        }
    }

    private static async Task Settled(Task step)
    {
        try
        {
            await step;
        }
        catch
        {
            // The request that queued the step reports its failure; the pipeline only waits for it.
        }
    }

    /// <summary>
    /// The outbox entries this step decided, as member rows, for versions still in the catalog (others have no
    /// shards left). Entries an earlier queued write already carries are not written again: with pipelined
    /// writes, a busy customer's outbox holds the undelivered decisions of every write still waiting for its
    /// commit, and each would otherwise be rewritten (a row in two B-trees) by every write after it.
    /// </summary>
    private ImmutableArray<MemberRow> MemberRows(CompiledCatalog catalog)
    {
        var rows = ImmutableArray.CreateBuilder<MemberRow>();
        foreach (var (key, change) in state.State.Outbox)
        {
            if (!IsQueued(key, change) && catalog.FindByKey(key) is { } segment)
            {
                rows.Add(new MemberRow(segment.Definition.Id, SegmentShards.Of(_customerId, segment.Definition.Shards), change));
            }
        }

        return rows.DrainToImmutable();
    }

    /// <summary>Whether a queued write of this activation decided this outbox entry (and so carries it).</summary>
    private bool IsQueued(string key, MembershipChange change) => IsQueued(key, change, out _);

    /// <inheritdoc cref="IsQueued(string, MembershipChange)"/>
    private bool IsQueued(string key, MembershipChange change, out long write)
    {
        var queued = _undurable.TryGetValue(key, out var stamped) && ReferenceEquals(stamped.Change, change);
        write = queued ? stamped.Write : 0;
        return queued;
    }

    /// <summary>
    /// How many entries a snapshot waits for: <see cref="JournalOptions.SnapshotEvery"/>, or for a customer that
    /// retains more than four times as many events, a quarter as many entries as it retains events. A snapshot
    /// serialises every retained event, so a busy customer's (up to thousands of events) cost as much as hundreds of
    /// small ones; its replay stays bounded by a quarter of the retained events.
    /// </summary>
    private int SnapshotAfter(CustomerState s) => Math.Max(journalOptions.Value.SnapshotEvery, s.Recent.Count / 4);

    private void ScheduleSnapshot() =>
        _snapshotTimer ??= this.RegisterGrainTimer(
            _ => SnapshotNowAsync(),
            new GrainTimerCreationOptions { DueTime = journalOptions.Value.SnapshotDelay, Period = Timeout.InfiniteTimeSpan });

    private async Task SnapshotNowAsync()
    {
        try
        {
            await ExclusiveAsync(SnapshotCoreAsync);
        }
        catch (Exception error)
        {
            // The journal holds everything; a later snapshot (or the next activation's replay) covers it.
            logger.LogFailure(LogLevel.Warning, error, "A snapshot failed for a customer of store {Store}", _store);
        }
    }

    /// <summary>Runs alone: no write is queued or in flight, so the state is exactly the journal through its sequence number.</summary>
    private async Task SnapshotCoreAsync()
    {
        _snapshotTimer?.Dispose();
        _snapshotTimer = null;
        if (_unsnapshotted == 0 || state.State.JournalSeq == 0 || _broken is not null)
        {
            return;
        }

        var through = state.State.JournalSeq;
        await state.WriteStateAsync();
        _unsnapshotted = 0;
        var before = time.GetUtcNow() - journalOptions.Value.Retention;
        await journal.WriteAsync(new JournalWrite(_store, _customerId, null, TrimThrough: through, TrimBeforeUnixMs: before.ToUnixTimeMilliseconds()));
    }

    /// <summary>
    /// Sends the outbox entries that writes up to <paramref name="through"/> made durable (and any from
    /// before this activation); forgets the ones delivered unless a later decision replaced them meanwhile.
    /// </summary>
    private async Task FlushOutboxAsync(long through)
    {
        var outbox = state.State.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }

        var catalog = await segments.GetAsync(_store);
        var sent = new List<(string Key, MembershipChange Change)>(outbox.Count);
        var sends = new List<Task>(outbox.Count);
        foreach (var (key, change) in outbox)
        {
            // Stamped by the write that decided it: deliverable once that write committed. Unstamped: from before
            // this activation (durable), unless a failed decision step left it — then nothing unstamped is sent.
            var deliverable = IsQueued(key, change, out var write) ? write <= through : _broken is null;
            if (!deliverable)
            {
                continue;
            }

            if (catalog.FindByKey(key) is not { } segment)
            {
                // A version no longer in the catalog has no shards left.
                sent.Add((key, change));
                continue;
            }

            var definition = segment.Definition;
            sent.Add((key, change));
            sends.Add(SegmentShards.Grain(GrainFactory, _store, definition, SegmentShards.Of(_customerId, definition.Shards)).ApplyAsync([change]));
        }

        await Task.WhenAll(sends);

        // Delivered. A later replay may resend them; shards apply them idempotently.
        foreach (var (key, change) in sent)
        {
            if (outbox.TryGetValue(key, out var current) && ReferenceEquals(current, change))
            {
                outbox.Remove(key);
                _undurable.Remove(key);
            }
        }

        // Usually empty from here until the next change: a resident customer need not keep the room it had.
        if (outbox.Count == 0)
        {
            outbox.TrimExcess();
        }
    }
}
