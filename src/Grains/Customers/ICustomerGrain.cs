using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using Orleans.Concurrency;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// One customer of one store (key: <c>{store}/{customer}</c>): the single writer of its profile, behaviour,
/// traits and memberships. It decides which segments it belongs to and sends only the changes.
/// <para>
/// Every method interleaves, each by its own attribute (a method added later does not, unless it says so). The mutating
/// ones must: a busy customer decides its next request while the previous one waits for its commit, and
/// <see cref="WritePipeline"/> keeps their writes, deliveries and the steps that run alone in order. The reads only look
/// at the state between two synchronous steps, so they see the newest applied state instead of queueing behind commits.
/// </para>
/// <para>
/// A customer merged into another (ARCHITECTURE: Where identities are merged) forwards: its events and the reads clients make (view,
/// evaluation, explanation, history, export) and an erasure go to the customer it was merged into, which answers as itself.
/// The calls the engine makes while walking the store's customers (re-evaluation, previews, lookalikes) find nothing:
/// the merged id has left the store's index, and the primary answers for itself.
/// </para>
/// </summary>
[Alias("cg.ICustomerGrain")]
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies the events it has not seen, re-evaluates its segments, and returns once the new state and
    /// every resulting membership change are durable.
    /// </summary>
    [Alias("Record"), AlwaysInterleave]
    Task<RecordResult> RecordAsync(ImmutableArray<CustomerEvent> events);

    /// <summary>
    /// <see cref="RecordAsync"/> for events another id forwarded (they keep their customer id): an id merged into this
    /// customer, or one this customer gave back by an unmerge the events crossed. <paramref name="hops"/> counts the forwards.
    /// </summary>
    [Alias("RecordForwarded"), AlwaysInterleave]
    Task<RecordResult> RecordForwardedAsync(ImmutableArray<CustomerEvent> events, int hops);

    /// <summary>
    /// Merges the customer <paramref name="secondaryId"/> into this one (into the customer this one is merged into, if it
    /// is): both histories become one customer, the secondary forwards from then on and leaves its segments; both sides
    /// are written in one transaction. Refusals change nothing (<see cref="MergeOutcome"/>).
    /// </summary>
    [Alias("Merge"), AlwaysInterleave]
    Task<MergeResult> MergeAsync(string secondaryId);

    /// <summary>
    /// Gives back <paramref name="secondaryId"/>, merged directly into this customer: each side becomes what its own
    /// events make it, and both decide their segments again. Written in one transaction.
    /// </summary>
    [Alias("Unmerge"), AlwaysInterleave]
    Task<MergeResult> UnmergeAsync(string secondaryId);

    /// <summary>
    /// A primary's merge, unmerge or erasure asks this customer to stop deciding and hand over its state, until
    /// <see cref="ThawAsync"/> says what was written; refused (not frozen) when it does not fit the request, or while it
    /// runs such a step as a primary itself (two primaries freezing each other would wait forever).
    /// </summary>
    [Alias("Freeze"), AlwaysInterleave]
    Task<Frozen> FreezeAsync(FreezeRequest request);

    /// <summary>The outcome of the step that froze this customer; returns once it is applied (its shards told).</summary>
    [Alias("Thaw"), AlwaysInterleave]
    Task ThawAsync(Thaw thaw);

    /// <summary>Re-evaluates every segment against a catalog at least as new as <paramref name="catalogVersion"/> (backfills).</summary>
    [Alias("Reevaluate"), AlwaysInterleave]
    Task ReevaluateAsync(long catalogVersion);

    /// <summary>Its deadline has come: re-evaluate with no event (the deadline is the cause of any move).</summary>
    [Alias("Wake"), AlwaysInterleave]
    Task WakeAsync(DateTimeOffset due);

    /// <summary>The customer as clients see it, or null when the store has never heard of it.</summary>
    [Alias("View"), AlwaysInterleave]
    Task<CustomerView?> GetViewAsync();

    /// <summary>The segments this customer's stored state satisfies now, by fresh evaluation (nothing changes).</summary>
    [Alias("Evaluate"), AlwaysInterleave]
    Task<ImmutableArray<string>> EvaluateAsync();

    /// <summary>Whether the customer's stored state satisfies a draft rule now (for previews; nothing changes).</summary>
    [Alias("Matches"), AlwaysInterleave]
    Task<bool> MatchesAsync(string ruleText);

    /// <summary>
    /// Why the customer is or is not in a segment now: the serving rule clause by clause with this customer's values
    /// (nothing changes). The explanation is null when the customer does not exist.
    /// </summary>
    [Alias("Explain"), AlwaysInterleave]
    Task<ExplanationLookup> ExplainAsync(string segmentId);

    /// <summary>Its entries to and exits from segments, newest first, read back from its journal; null when it does not exist.</summary>
    [Alias("History"), AlwaysInterleave]
    Task<MembershipHistory?> HistoryAsync(HistoryQuery query);

    /// <summary>Everything held about the customer (right of access); null when it does not exist.</summary>
    [Alias("Export"), AlwaysInterleave]
    Task<CustomerExport?> ExportAsync();

    /// <summary>What the customer looks like to a lookalike training, and whether it is in the seed segment; null when it does not exist.</summary>
    [Alias("Describe"), AlwaysInterleave]
    Task<Models.LookalikeCase?> DescribeAsync(string seed, ImmutableArray<string> features);

    /// <summary>Its score under one of the store's lookalike models now; null outside the model's population.</summary>
    [Alias("LookalikeScore"), AlwaysInterleave]
    Task<double?> LookalikeScoreAsync(string lookalike);

    /// <summary>What the customer adds to its store's data-quality report now (null facts: it does not exist), for a rebuild.</summary>
    [Alias("Quality"), AlwaysInterleave]
    Task<Quality.QualityUpdate> QualityAsync();

    /// <summary>
    /// Removes the customer everywhere: its state, journal, memberships, deadline and index entry; what stays is a
    /// tombstone that suppresses the id (events for it are refused) until <see cref="LiftSuppressionAsync"/>.
    /// </summary>
    [Alias("Erase"), AlwaysInterleave]
    Task<bool> EraseAsync();

    /// <summary>Lets events for an erased id be applied again (as to a new customer); false when the id is not suppressed.</summary>
    [Alias("LiftSuppression"), AlwaysInterleave]
    Task<bool> LiftSuppressionAsync();
}
