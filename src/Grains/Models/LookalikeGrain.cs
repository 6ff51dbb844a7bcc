using System.Collections.Immutable;
using System.Diagnostics;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Infrastructure.Telemetry;
using CustomerGrains.Grains.Population;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A store's lookalike models. A training walks the store's customers (the customer index, a page at a time), has each
/// describe itself (<see cref="ILookalikeCases"/>: its features and whether it is in the seed), trains on the thread pool
/// (<see cref="LookalikeTrainer"/>), and hands a model that came out to the store's population; the catalog is told
/// which models exist, so that only those can be read by rules.
/// </summary>
public sealed class LookalikeGrain(
    [PersistentState(StorageNames.LookalikeState, StorageNames.Provider)] IPersistentState<LookalikeState> state,
    CustomerDirectoryReader customers,
    ILookalikeCases cases,
    IOptions<ModelOptions> options,
    [FromKeyedServices(EngineClock.Key)] TimeProvider time,
    ILogger<LookalikeGrain> logger,
    EngineMetrics metrics) : Grain, ILookalikeGrain
{
    /// <summary>At most this many lookalike models per store: each is scored on every pass of the customers of its population.</summary>
    public const int MaxPerStore = 20;

    private string Store => this.GetPrimaryKeyString();

    public Task<LookalikeInfo?> GetAsync(string id) => Task.FromResult(state.State.Lookalikes.GetValueOrDefault(id));

    public Task<ImmutableArray<LookalikeInfo>> ListAsync() =>
        Task.FromResult<ImmutableArray<LookalikeInfo>>([.. state.State.Lookalikes.Values.OrderBy(l => l.Draft.Id, StringComparer.Ordinal)]);

    public async Task<(LookalikeInfo? Info, bool Created, string? Error)> PutAsync(LookalikeDraft draft)
    {
        var existing = state.State.Lookalikes.GetValueOrDefault(draft.Id);
        if (existing is null && state.State.Lookalikes.Count >= MaxPerStore)
        {
            return (null, false, $"a store can have at most {MaxPerStore} lookalike models");
        }

        if (await CheckAsync(draft) is { } error)
        {
            return (null, false, error);
        }

        state.State.Lookalikes[draft.Id] = new LookalikeInfo(draft, null, null, TimeSpan.Zero, existing?.InUseSince);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).SetLookalikeAsync(draft.Id, exists: true);
        return (await TrainAsync(draft.Id), existing is null, null);
    }

    public async Task<LookalikeInfo?> TrainAsync(string id)
    {
        if (!state.State.Lookalikes.TryGetValue(id, out var info))
        {
            return null;
        }

        var draft = info.Draft;
        var clock = Stopwatch.StartNew();
        var examples = new List<LookalikeExample>();
        await customers.ForEachPageAsync(Store, 256, async ids =>
        {
            foreach (var described in await cases.DescribeAsync(Store, ids, draft.Seed, draft.Features))
            {
                if (described is not null)
                {
                    examples.Add(described.Example());
                }
            }

            return true;
        });

        // Seconds of CPU for a large store: on the thread pool, so that reads of this grain are answered meanwhile.
        var training = await Task.Run(() => LookalikeTrainer.Train(examples));
        metrics.ModelFitted("lookalike", training.Model is not null, clock.Elapsed.TotalSeconds);
        var now = time.GetUtcNow();
        if (!state.State.Lookalikes.TryGetValue(id, out var current) || current.Draft != draft)
        {
            // Replaced or deleted while it trained: that change's own training decides.
            return current;
        }

        var trained = training.Model is not null;
        info = current with { Training = training, TrainedAt = now, Took = clock.Elapsed, InUseSince = trained ? now : current.InUseSince };
        state.State.Lookalikes[id] = info;
        await state.WriteStateAsync();
        if (training.Model is { } model)
        {
            await GrainFactory.GetGrain<IPopulationGrain>(Store).SetLookalikeAsync(id, new StoreLookalike(model, draft.Population, draft.Features, now));
        }

        logger.LogInformation(
            "Lookalike {Lookalike} of store {Store}: {Status}, {Positives} positives, {Negatives} negatives, held-out AUC {Auc}, in {Took}",
            id, Store, training.Status, training.Positives, training.Negatives, training.HeldOutAuc, clock.Elapsed);
        return info;
    }

    public async Task<(bool Found, ImmutableArray<string> ReadBy)> DeleteAsync(string id)
    {
        if (!state.State.Lookalikes.ContainsKey(id))
        {
            return (false, []);
        }

        var catalog = GrainFactory.GetGrain<ISegmentCatalogGrain>(Store);
        var readBy = await catalog.SegmentsReadingLookalikeAsync(id);
        if (!readBy.IsEmpty)
        {
            return (true, readBy);
        }

        state.State.Lookalikes.Remove(id);
        await state.WriteStateAsync();
        await catalog.SetLookalikeAsync(id, exists: false);
        await GrainFactory.GetGrain<IPopulationGrain>(Store).SetLookalikeAsync(id, null);
        return (true, []);
    }

    public async Task RetrainDueAsync()
    {
        var now = time.GetUtcNow();
        foreach (var id in state.State.Lookalikes.Where(l => l.Value.TrainedAt is not { } at || now - at >= options.Value.RefitEvery).Select(l => l.Key).ToList())
        {
            await TrainAsync(id);
        }
    }

    /// <summary>The seed must be a segment of the store; the population a rule that reads no lookalike; the features known ones.</summary>
    private async Task<string?> CheckAsync(LookalikeDraft draft)
    {
        if (await GrainFactory.GetGrain<ISegmentCatalogGrain>(Store).GetAsync(draft.Seed) is null)
        {
            return $"seed: no segment '{draft.Seed}' in this store";
        }

        try
        {
            var population = SegmentRules.Of(draft.Population, null);
            if (RuleAnalysis.ReadsLookalikes(population.Ast).Count > 0)
            {
                return "population: a lookalike's population cannot itself read a lookalike score";
            }
        }
        catch (RuleSyntaxException error)
        {
            return $"population: {error.Message}";
        }

        var unknown = draft.Features.Where(f => !Evaluation.LookalikeFeatures.Names.Contains(f)).ToList();
        return unknown.Count > 0
            ? $"features: unknown {string.Join(", ", unknown)} (known: {string.Join(", ", Evaluation.LookalikeFeatures.Names.Order(StringComparer.Ordinal))})"
            : null;
    }
}
