namespace CustomerGrains.Grains.Storage;

/// <summary>The engine's tables that hold rows of one customer, keyed by (store, customer_id).</summary>
public static class CustomerTables
{
    /// <summary>
    /// Every table an erasure empties of the customer, in both dialects. A table added with a customer's rows
    /// belongs here, or an erasure leaves it behind.
    /// </summary>
    public static readonly IReadOnlyList<string> ErasedOnErasure = ["cg_journal", "cg_members", "cg_customers", "cg_deadlines"];
}
