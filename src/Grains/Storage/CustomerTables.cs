namespace CustomerGrains.Grains.Storage;

/// <summary>The engine's tables that hold rows of one customer, keyed by (store, customer_id).</summary>
public static class CustomerTables
{
    /// <summary>
    /// Every table an erasure empties of the customer, in both dialects. A table added with a customer's rows
    /// belongs here, or an erasure leaves it behind.
    /// </summary>
    // cg_members goes whole, tombstones included: a tombstone names a segment the customer was in, which is what
    // an erasure must not leave behind; the journal's erasure entry keeps the id, the decision count, any suppression
    // and, for the change feed's retention only, the leaves it told the feed (the customer's wake then drops them).
    // The price: a shard reloaded after an erasure no longer knows the erasure's leave numbers, so an older join
    // delivered late after that reload is applied in its memory (never stored: the stale sender's commits are
    // fenced) until it reloads again — the window every leave had before tombstones, now only for erasures.
    public static readonly IReadOnlyList<string> ErasedOnErasure = ["cg_journal", "cg_members", "cg_customers", "cg_deadlines", "cg_purchases", "cg_identity_keys"];
}
