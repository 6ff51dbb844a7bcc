using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Durability: a request is acknowledged once its journal entry (events + membership rows) is committed
/// by the silo's group-committing <see cref="JournalWriter"/>. The grain state is a snapshot written
/// behind; on activation the journal entries after the snapshot are replayed.
/// </summary>
public sealed class CustomerGrain(
    [PersistentState(StorageNames.CustomerState, StorageNames.Provider)] IPersistentState<CustomerState> state,
    SegmentRuleCache segments,
    JournalWriter journal,
    StoreQueries queries,
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

    // The deadline last written for this customer; unknown until this activation first evaluates.
    private DateTimeOffset? _deadline;
    private bool _deadlineKnown;
    private DeadlineChange? _pendingDeadline;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_store, _customerId) = GrainKeys.ParseCustomer(this.GetPrimaryKeyString());
        foreach (var (seq, entry) in await queries.ReadTailAsync(_store, _customerId, state.State.JournalSeq))
        {
            Replay(seq, entry);
            _unsnapshotted++;
        }

        // Changes whose shards may not have heard of them before the previous activation ended.
        await FlushOutboxAsync();
        if (_unsnapshotted > 0)
        {
            ScheduleSnapshot();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsnapshotted > 0 && state.State.JournalSeq > 0)
        {
            try
            {
                await SnapshotAsync();
            }
            catch (Exception error)
            {
                // The journal still holds everything; the next activation replays a longer tail.
                logger.LogFailure(LogLevel.Warning, error, "Snapshot on deactivation failed for a customer of store {Store}", _store);
            }
        }
    }

    public async Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events)
    {
        var s = state.State;
        var accepted = ImmutableArray.CreateBuilder<CustomerEvent>();
        foreach (var e in events)
        {
            if (CustomerBehaviour.Apply(s, e))
            {
                accepted.Add(e);
            }
        }

        var result = new RecordResult(accepted.Count, events.Length - accepted.Count);
        if (accepted.Count == 0)
        {
            // All seen before: a retry. Make sure what the first attempt decided reached the shards.
            await FlushOutboxAsync();
            return result;
        }

        var now = time.GetUtcNow();
        CustomerBehaviour.Prune(s, now, behaviour.Value);
        var newest = accepted.MaxBy(e => e.Timestamp)!;
        var catalog = await segments.GetAsync(_store);
        var population = await thresholds.GetAsync(_store);
        var outcome = SegmentEvaluation.Evaluate(s, _customerId, catalog, now, _ => $"event:{newest.Id}", population);
        await AppendAsync(new JournalEntry(accepted.ToImmutable(), MemberRows(catalog), Erased: false), DeadlineChangeFor(outcome.NextDeadline));
        await AfterCommitAsync();
        return result;
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
        var s = state.State;
        if (!s.Exists && !s.Registered)
        {
            return false;
        }

        var now = time.GetUtcNow();
        foreach (var (key, membership) in s.Memberships)
        {
            s.Outbox[key] = new MembershipChange(_customerId, membership.SegmentUid, false, now, "erased");
        }

        // One durable step removes the journal, membership rows, deadline and index entry and leaves a
        // tombstone, so a crash anywhere after it still replays to an erased customer.
        await AppendAsync(new JournalEntry([], [], Erased: true), new DeadlineChange(DeadlineShards.Of(_customerId), null));
        await AfterCommitAsync();
        population.Report(_store, s.ReportedStats, null);
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        state.State = new CustomerState();
        _unsnapshotted = 0;
        DeactivateOnIdle();
        return true;
    }

    private void Replay(long seq, JournalEntry entry)
    {
        if (entry.Erased)
        {
            state.State = new CustomerState();
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
        var now = time.GetUtcNow();
        var population = await thresholds.GetAsync(_store);
        var (changes, next) = SegmentEvaluation.Evaluate(state.State, _customerId, catalog, now, cause, population);
        var deadline = DeadlineChangeFor(next);
        if (changes > 0)
        {
            await AppendAsync(new JournalEntry([], MemberRows(catalog), Erased: false), deadline);
        }
        else if (deadline is not null)
        {
            await journal.WriteAsync(new JournalWrite(_store, _customerId, null, Deadline: deadline));
            _pendingDeadline = deadline;
        }

        await AfterCommitAsync();
    }

    /// <summary>The next deadline over every segment (decided by the evaluation pass), when it differs from the one last written.</summary>
    private DeadlineChange? DeadlineChangeFor(DateTimeOffset? next) =>
        _deadlineKnown && next == _deadline ? null : new DeadlineChange(DeadlineShards.Of(_customerId), next);

    /// <summary>
    /// After a commit: the shards hear of membership changes, the deadline shard of the new deadline, and
    /// the store's population statistics of this customer's new place in them.
    /// </summary>
    private async Task AfterCommitAsync()
    {
        await FlushOutboxAsync();
        var stats = state.State.Exists ? CustomerFacts.Stats(state.State) : null;
        if (stats != state.State.ReportedStats)
        {
            population.Report(_store, state.State.ReportedStats, stats);
            state.State.ReportedStats = stats;
        }

        if (_pendingDeadline is { } deadline)
        {
            _pendingDeadline = null;
            await DeadlineShards.Grain(GrainFactory, _store, deadline.Shard).SetAsync(_customerId, deadline.Due);
            _deadline = deadline.Due;
            _deadlineKnown = true;
        }
    }

    /// <summary>Makes an entry durable through the silo's group commit; on failure forgets this activation.</summary>
    private async Task AppendAsync(JournalEntry entry, DeadlineChange? deadline = null)
    {
        var s = state.State;
        try
        {
            s.JournalSeq = await journal.WriteAsync(new JournalWrite(_store, _customerId, entry, Register: !s.Registered && !entry.Erased, Deadline: deadline));
            _pendingDeadline = deadline;
        }
        catch
        {
            // In-memory changes (seen ids above all) must not make a retry look like a duplicate of
            // something never stored: drop them with the activation, and never snapshot them on the way
            // out (the journal holds everything committed; the next activation replays it).
            _unsnapshotted = 0;
            DeactivateOnIdle();
            throw;
        }

        s.Registered = !entry.Erased;
        if (!entry.Erased && ++_unsnapshotted >= journalOptions.Value.SnapshotEvery)
        {
            await SnapshotAsync();
        }
        else if (!entry.Erased)
        {
            ScheduleSnapshot();
        }
    }

    /// <summary>The outbox as member rows, for versions still in the catalog (others have no shards left).</summary>
    private ImmutableArray<MemberRow> MemberRows(CompiledCatalog catalog) =>
        [.. state.State.Outbox
            .Select(p => (Change: p.Value, Segment: catalog.FindByKey(p.Key)))
            .Where(x => x.Segment is not null)
            .Select(x => new MemberRow(x.Segment!.Definition.Id, SegmentShards.Of(_customerId, x.Segment.Definition.Shards), x.Change))];

    private void ScheduleSnapshot() =>
        _snapshotTimer ??= this.RegisterGrainTimer(
            _ => SnapshotAsync(),
            new GrainTimerCreationOptions { DueTime = journalOptions.Value.SnapshotDelay, Period = Timeout.InfiniteTimeSpan });

    private async Task SnapshotAsync()
    {
        _snapshotTimer?.Dispose();
        _snapshotTimer = null;
        if (_unsnapshotted == 0)
        {
            return;
        }

        var through = state.State.JournalSeq;
        await state.WriteStateAsync();
        _unsnapshotted = 0;
        var before = time.GetUtcNow() - journalOptions.Value.Retention;
        await journal.WriteAsync(new JournalWrite(_store, _customerId, null, TrimThrough: through, TrimBeforeUnixMs: before.ToUnixTimeMilliseconds()));
    }

    private async Task FlushOutboxAsync()
    {
        var outbox = state.State.Outbox;
        if (outbox.Count == 0)
        {
            return;
        }

        var catalog = await segments.GetAsync(_store);
        var sends = new List<Task>(outbox.Count);
        foreach (var row in MemberRows(catalog))
        {
            var definition = catalog.FindByUid(row.Change.SegmentUid)!.Definition;
            sends.Add(SegmentShards.Grain(GrainFactory, _store, definition, row.Shard).ApplyAsync([row.Change]));
        }

        await Task.WhenAll(sends);

        // Delivered. A later replay may resend them; shards apply them idempotently.
        outbox.Clear();
    }
}
