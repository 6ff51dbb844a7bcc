namespace CustomerGrains.Grains.Storage;

/// <summary>
/// What a customer asks the journal writer to make durable: an entry (with its membership rows and, on
/// the first one, the customer's registration), its next deadline, and/or the trimming of entries a
/// snapshot now covers, and/or its purchase days (<see cref="Purchases"/>) when its orders changed.
/// <see cref="Purchases"/>: the customer's row of <c>cg_purchases</c> (empty: it has none; null: unchanged).
/// A trim removes the entries through <see cref="TrimThrough"/> recorded before <see cref="TrimBeforeUnixMs"/>, but an entry
/// that changed memberships (the change feed's) only once recorded before <see cref="TrimChangesBeforeUnixMs"/>.
/// <see cref="After"/> is the same customer's previous write when that one may still be uncommitted: this
/// write was decided on top of it, so it commits only if that one did (same batch, or an earlier one that
/// succeeded) and fails with it otherwise. <see cref="Unregister"/>: the customer leaves the store's index of customers
/// (it was merged into another: backfills, previews and reconciles no longer walk it). <see cref="Keys"/>: its claims on
/// matching-trait keys that changed (<see cref="IdentityKeyRow"/>; released before claimed).
/// </summary>
public sealed record JournalWrite(
    string Store,
    string CustomerId,
    JournalRecord? Entry,
    bool Register = false,
    long? TrimThrough = null,
    long TrimBeforeUnixMs = 0,
    DeadlineChange? Deadline = null,
    Task<long>? After = null,
    PurchaseRow? Purchases = null,
    long TrimChangesBeforeUnixMs = 0,
    bool Unregister = false,
    System.Collections.Immutable.ImmutableArray<IdentityKeyRow> Keys = default)
{
    /// <summary>Completed with the entry's sequence number (0 without an entry) once its batch has committed.</summary>
    internal TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
