namespace CustomerGrains.Grains.Storage;

/// <summary>
/// What a customer asks the journal writer to make durable: an entry (with its membership rows and, on
/// the first one, the customer's registration), its next deadline, and/or the trimming of entries a
/// snapshot now covers.
/// </summary>
public sealed record JournalWrite(
    string Store,
    string CustomerId,
    JournalEntry? Entry,
    bool Register = false,
    long? TrimThrough = null,
    long TrimBeforeUnixMs = 0,
    DeadlineChange? Deadline = null)
{
    /// <summary>Completed with the entry's sequence number (0 without an entry) once its batch has committed.</summary>
    internal TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
