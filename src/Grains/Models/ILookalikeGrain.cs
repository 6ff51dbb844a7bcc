using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Models;

/// <summary>
/// A store's lookalike models (key: store id): their definitions, training on what the store's customers describe of
/// themselves, and the trained models handed to the store's population, through which every customer in a model's
/// population carries a live score. One training at a time; reads answer during one.
/// </summary>
[Alias("cg.ILookalikeGrain")]
public interface ILookalikeGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a definition and trains it now. Null and a reason when the definition is refused.</summary>
    [Alias("Put")]
    Task<(LookalikeInfo? Info, bool Created, string? Error)> PutAsync(LookalikeDraft draft);

    [Alias("Get"), ReadOnly, AlwaysInterleave]
    Task<LookalikeInfo?> GetAsync(string id);

    [Alias("List"), ReadOnly, AlwaysInterleave]
    Task<ImmutableArray<LookalikeInfo>> ListAsync();

    /// <summary>Trains again now; null when there is no such model.</summary>
    [Alias("Train")]
    Task<LookalikeInfo?> TrainAsync(string id);

    /// <summary>Deletes a model no segment reads: whether it existed, and the segments that still read it (then nothing is deleted).</summary>
    [Alias("Delete")]
    Task<(bool Found, ImmutableArray<string> ReadBy)> DeleteAsync(string id);

    /// <summary>Retrains the models whose training is older than the refit interval (the schedule's call).</summary>
    [Alias("RetrainDue")]
    Task RetrainDueAsync();
}
