using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Rules;
using Orleans.Runtime;

namespace CustomerGrains.Grains.Segments;

public sealed class SegmentCatalogGrain(
    [PersistentState(StorageNames.CatalogState, StorageNames.Provider)] IPersistentState<SegmentCatalogState> state,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time) : Grain, ISegmentCatalogGrain
{
    private string Store => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Backfills a crash interrupted resume now, not when someone next asks their segment for a count.
        foreach (var (segmentId, backfill) in state.State.Backfills.Where(b => !b.Value.Complete))
        {
            await GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(Store, segmentId)).StartBackfillAsync(backfill.Version, state.State.Version);
        }
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

        if (Validate(draft) is { } error)
        {
            return error;
        }

        var now = time.GetUtcNow();
        var version = state.State.DeletedVersions.GetValueOrDefault(draft.Id) + 1;
        var definition = new SegmentDefinition(
            draft.Id, draft.Name, draft.Description, draft.Rule, version, Guid.NewGuid(), SegmentLimits.DefaultShards, now, now, draft.Parent);
        return References(definition) ?? await ApplyAsync(definition);
    }

    public async Task<CatalogResult> UpdateAsync(SegmentDraft draft)
    {
        if (!state.State.Segments.TryGetValue(draft.Id, out var current))
        {
            return CatalogResult.Fail(CatalogOutcome.NotFound, $"segment '{draft.Id}' does not exist");
        }

        if (Validate(draft) is { } error)
        {
            return error;
        }

        var definition = current with
        {
            Name = draft.Name,
            Description = draft.Description,
            Rule = draft.Rule,
            Parent = draft.Parent,
            Version = current.Version + 1,
            UpdatedAt = time.GetUtcNow(),
        };
        return References(definition) ?? await ApplyAsync(definition);
    }

    public async Task<CatalogOutcome> DeleteAsync(string segmentId)
    {
        if (!state.State.Segments.ContainsKey(segmentId))
        {
            return CatalogOutcome.NotFound;
        }

        var edges = SegmentGraph.Edges(state.State.Segments.Values);
        if (edges.Any(e => e.Key != segmentId && e.Value.Contains(segmentId)))
        {
            return CatalogOutcome.InUse;
        }

        state.State.Segments.Remove(segmentId, out var removed);

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
        Task.FromResult(new CatalogSnapshot(state.State.Version, [.. state.State.Segments.Values]));

    public async Task ReportBackfillAsync(string segmentId, BackfillStatus status)
    {
        // Only the current version's progress matters; a late report of an older version is dropped.
        if (state.State.Segments.TryGetValue(segmentId, out var definition) && definition.Version == status.Version)
        {
            state.State.Backfills[segmentId] = status;
            if (status.Complete)
            {
                await state.WriteStateAsync();
            }
        }
    }

    private async Task<CatalogResult> ApplyAsync(SegmentDefinition definition)
    {
        // Shards learn the incarnation before any silo can evaluate the definition, so no membership
        // change for it can reach a shard that would refuse it.
        var segment = GrainFactory.GetGrain<ISegmentGrain>(GrainKeys.Segment(Store, definition.Id));
        await segment.PrepareAsync(definition);

        var backfill = new BackfillStatus(definition.Version, false, 0, 0);
        state.State.Segments[definition.Id] = definition;
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

    private static CatalogResult? Validate(SegmentDraft draft) =>
        RuleCompiler.TryCompile(draft.Rule, out _, out var error)
            ? null
            : CatalogResult.Fail(CatalogOutcome.InvalidRule, error!.Message);

    private SegmentInfo Describe(SegmentDefinition definition) =>
        new(definition, state.State.Backfills.GetValueOrDefault(definition.Id) ?? new BackfillStatus(definition.Version, true, 0, 0));
}
