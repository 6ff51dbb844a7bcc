using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerGrains.Grains.Segments;

public sealed class SegmentCatalogGrain(
    [PersistentState(StorageNames.CatalogState, StorageNames.Provider)] IPersistentState<SegmentCatalogState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, ISegmentCatalogGrain
{
    /// <summary>
    /// Segments whose new version is being switched in. Reads interleave with the switch, so until it (and the
    /// re-derivation of the segments that read it) is done they still say "backfilling": a client that waits
    /// for "ready" then finds every silo and every dependent on the new version.
    /// </summary>
    private readonly HashSet<string> _switching = new(StringComparer.Ordinal);

    private IGrainTimer? _defaults;

    private string Store => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Backfills a crash interrupted resume now, not when someone next asks their segment for a count.
        foreach (var (segmentId, backfill) in state.State.Backfills.Where(b => !b.Value.Complete))
        {
            await GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(Store, segmentId)).StartBackfillAsync(backfill.Version, state.State.Version);
        }

        if (!state.State.DefaultsCreated)
        {
            // Right after activation, as its own turn: creating segments calls grains that read this catalog.
            _defaults = this.RegisterGrainTimer(
                CreateDefaultsAsync,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
        }
    }

    private async Task CreateDefaultsAsync(CancellationToken cancellationToken)
    {
        _defaults?.Dispose();
        if (state.State.DefaultsCreated)
        {
            return;
        }

        foreach (var draft in LifecycleSegments.Defaults.Where(d => !state.State.Segments.ContainsKey(d.Id)))
        {
            await CreateAsync(draft);
        }

        state.State.DefaultsCreated = true;
        await state.WriteStateAsync();
    }

    public async Task<CatalogResult> CreateAsync(SegmentDraft draft)
    {
        if (state.State.Segments.ContainsKey(draft.Id))
        {
            return CatalogResult.Fail(CatalogOutcome.AlreadyExists, $"segment '{draft.Id}' already exists");
        }

        if (state.State.Segments.Count >= SegmentLimits.MaxSegmentsPerStore)
        {
            return CatalogResult.Fail(CatalogOutcome.LimitReached, $"a store can have at most {SegmentLimits.MaxSegmentsPerStore} segments");
        }

        if ((Validate(draft) ?? UnknownLookalikes(draft)) is { } error)
        {
            return error;
        }

        var now = time.GetUtcNow();
        var version = state.State.DeletedVersions.GetValueOrDefault(draft.Id) + 1;
        var definition = new SegmentDefinition(
            draft.Id, draft.Name, draft.Description, draft.Rule, version, Guid.NewGuid(), SegmentLimits.DefaultShards, now, now, draft.Parent,
            Holdout: draft.Holdout, MinDwell: draft.MinDwell);
        return References(definition) ?? await ApplyAsync(definition);
    }

    public async Task<CatalogResult> UpdateAsync(SegmentDraft draft)
    {
        if (!state.State.Segments.TryGetValue(draft.Id, out var current))
        {
            return CatalogResult.Fail(CatalogOutcome.NotFound, $"segment '{draft.Id}' does not exist");
        }

        if ((Validate(draft) ?? UnknownLookalikes(draft)) is { } error)
        {
            return error;
        }

        // A new version under its own incarnation, backfilled while the current one keeps serving.
        var definition = current with
        {
            Name = draft.Name,
            Description = draft.Description,
            Rule = draft.Rule,
            Parent = draft.Parent,
            Holdout = draft.Holdout,
            MinDwell = draft.MinDwell,
            Version = Math.Max(current.Version, state.State.Pending.GetValueOrDefault(draft.Id)?.Version ?? 0) + 1,
            Uid = Guid.NewGuid(),
            UpdatedAt = time.GetUtcNow(),
            Pending = true,
        };
        return References(definition) ?? await ApplyAsync(definition);
    }

    public async Task<CatalogOutcome> DeleteAsync(string segmentId)
    {
        if (!state.State.Segments.ContainsKey(segmentId))
        {
            return CatalogOutcome.NotFound;
        }

        var referrers = SegmentGraph.Edges(state.State.Segments.Values)
            .Concat(SegmentGraph.Edges(state.State.Pending.Values))
            .Where(e => e.Key != segmentId && e.Value.Contains(segmentId));
        if (referrers.Any())
        {
            return CatalogOutcome.InUse;
        }

        state.State.Segments.Remove(segmentId, out var removed);
        state.State.Pending.Remove(segmentId, out var pendingRemoved);
        removed = pendingRemoved ?? removed;

        state.State.Backfills.Remove(segmentId);
        state.State.DeletedVersions[segmentId] = removed!.Version;
        state.State.Version++;
        await state.WriteStateAsync();
        await SegmentCacheBroadcast.InvalidateAsync(GrainFactory, Store, state.State.Version);
        await GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(Store, segmentId)).DeleteAsync();
        return CatalogOutcome.Ok;
    }

    public Task<SegmentInfo?> GetAsync(string segmentId) =>
        Task.FromResult(state.State.Segments.TryGetValue(segmentId, out var definition) ? Describe(definition) : null);

    public Task<ImmutableArray<SegmentInfo>> ListAsync() =>
        Task.FromResult(state.State.Segments.Values.OrderBy(d => d.Id, StringComparer.Ordinal).Select(Describe).ToImmutableArray());

    public Task<CatalogSnapshot> GetSnapshotAsync() =>
        Task.FromResult(new CatalogSnapshot(state.State.Version, [.. state.State.Segments.Values, .. state.State.Pending.Values]));

    public async Task ReportBackfillAsync(string segmentId, BackfillStatus status)
    {
        // Only the newest version's progress matters; a late report of an older version is dropped.
        var newest = state.State.Pending.GetValueOrDefault(segmentId) ?? state.State.Segments.GetValueOrDefault(segmentId);
        if (newest is null || newest.Version != status.Version)
        {
            return;
        }

        state.State.Backfills[segmentId] = status;
        if (!status.Complete)
        {
            return;
        }

        if (newest.Pending)
        {
            // Every customer has been evaluated against the new version: it replaces the serving one.
            _switching.Add(segmentId);
            try
            {
                state.State.Segments[segmentId] = newest with { Pending = false };
                state.State.Pending.Remove(segmentId);
                state.State.Version++;
                await state.WriteStateAsync();
                await GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(Store, segmentId)).PromoteAsync(newest.Version);
                await SegmentCacheBroadcast.InvalidateAsync(GrainFactory, Store, state.State.Version);
                await RederiveDependentsAsync(segmentId);
            }
            finally
            {
                _switching.Remove(segmentId);
            }

            return;
        }

        await state.WriteStateAsync();
    }

    /// <summary>
    /// Segments that read <paramref name="segmentId"/> (as their parent or with <c>in_segment</c>) were evaluated
    /// against its previous version, and no customer event may come to correct them. Each gets a new version of
    /// the same definition, backfilled against the promoted one, that switches when complete like an edit does;
    /// its own dependents follow when it is promoted in turn.
    /// </summary>
    private async Task RederiveDependentsAsync(string segmentId)
    {
        var dependents = SegmentGraph.Edges(state.State.Segments.Values)
            .Where(e => e.Key != segmentId && e.Value.Contains(segmentId))
            .Select(e => e.Key)
            .ToList();
        foreach (var id in dependents)
        {
            var serving = state.State.Segments[id];
            var latest = state.State.Pending.GetValueOrDefault(id) ?? serving;
            await ApplyAsync(latest with
            {
                Version = Math.Max(serving.Version, latest.Version) + 1,
                Uid = Guid.NewGuid(),
                Pending = true,
            });
        }
    }

    private async Task<CatalogResult> ApplyAsync(SegmentDefinition definition)
    {
        // Shards learn the incarnation before any silo can evaluate the definition, so no membership
        // change for it can reach a shard that would refuse it.
        var segment = GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(Store, definition.Id));
        await segment.PrepareAsync(definition);

        var backfill = new BackfillStatus(definition.Version, false, 0, 0);
        if (definition.Pending)
        {
            state.State.Pending[definition.Id] = definition;
        }
        else
        {
            state.State.Segments[definition.Id] = definition;
        }

        state.State.Backfills[definition.Id] = backfill;
        state.State.DeletedVersions.Remove(definition.Id);
        state.State.Version++;
        await state.WriteStateAsync();

        await SegmentCacheBroadcast.InvalidateAsync(GrainFactory, Store, state.State.Version);
        await segment.StartBackfillAsync(definition.Version, state.State.Version);
        return CatalogResult.Ok(Describe(definition));
    }

    /// <summary>With this definition in place, every reference must exist, without cycles, at most 8 deep.</summary>
    private CatalogResult? References(SegmentDefinition definition)
    {
        var after = state.State.Segments.Values.Where(d => d.Id != definition.Id).Append(definition);
        return SegmentGraph.Check(SegmentGraph.Edges(after)) is { } problem
            ? CatalogResult.Fail(CatalogOutcome.InvalidRule, problem)
            : null;
    }

    /// <summary>
    /// A draft from any Api build is checked here, but only once: the compiled rule is kept (in this process) for the
    /// graph checks that follow and for evaluation, and a rule this process's Api has just checked is not parsed again.
    /// </summary>
    private static CatalogResult? Validate(SegmentDraft draft)
    {
        if (draft.Holdout is < 0 or > Holdout.MaxPercent)
        {
            return CatalogResult.Fail(CatalogOutcome.InvalidRule, $"holdout must be a whole number of percent from 0 to {Holdout.MaxPercent}");
        }

        if (draft.MinDwell is { } dwell && (dwell < SegmentDwell.Shortest || dwell > SegmentDwell.Longest))
        {
            return CatalogResult.Fail(CatalogOutcome.InvalidRule, SegmentDwell.Range);
        }

        try
        {
            SegmentRules.Of(draft.Rule, draft.Parent);
            return null;
        }
        catch (RuleSyntaxException error)
        {
            return CatalogResult.Fail(CatalogOutcome.InvalidRule, error.Message);
        }
    }

    /// <summary>A rule may read only the store's lookalike models that exist.</summary>
    private CatalogResult? UnknownLookalikes(SegmentDraft draft)
    {
        var missing = RuleAnalysis.ReadsLookalikes(SegmentRules.Of(draft.Rule, draft.Parent).Ast).Where(id => !state.State.Lookalikes.Contains(id)).Order(StringComparer.Ordinal).ToList();
        return missing.Count == 0
            ? null
            : CatalogResult.Fail(CatalogOutcome.InvalidRule, $"no lookalike model {string.Join(", ", missing.Select(m => $"'{m}'"))} in this store (create it with POST …/lookalikes first)");
    }

    public async Task SetLookalikeAsync(string id, bool exists)
    {
        if (exists ? state.State.Lookalikes.Add(id) : state.State.Lookalikes.Remove(id))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> SegmentsReadingLookalikeAsync(string id) => Task.FromResult<ImmutableArray<string>>(
        [.. state.State.Segments.Values.Concat(state.State.Pending.Values)
            .Where(d => RuleAnalysis.ReadsLookalikes(SegmentRules.Of(d).Ast).Contains(id))
            .Select(d => d.Id).Distinct().Order(StringComparer.Ordinal)]);

    private SegmentInfo Describe(SegmentDefinition definition)
    {
        var serving = state.State.Segments.GetValueOrDefault(definition.Id) ?? definition;
        var pending = state.State.Pending.GetValueOrDefault(definition.Id);
        var backfill = state.State.Backfills.GetValueOrDefault(definition.Id) ?? new BackfillStatus(serving.Version, true, 0, 0);
        return new SegmentInfo(serving, _switching.Contains(definition.Id) ? backfill with { Complete = false } : backfill, pending);
    }
}
