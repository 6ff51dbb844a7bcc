namespace CustomerGrains.Grains.Storage;

/// <summary>
/// Stores one batch of journal writes in one transaction, in the way its database does best; the
/// <see cref="JournalWriter"/> decides what goes in a batch and tells the callers.
/// </summary>
public interface IJournalCommitter
{
    /// <summary>
    /// Commits the batch, or nothing of it (throws). Returns each write's entry sequence number (0 without an
    /// entry), by batch index; ascending in batch order.
    /// </summary>
    Task<long[]> CommitAsync(IReadOnlyList<JournalWrite> batch, long nowUnixMs);
}
