namespace CustomerGrains.Grains.Evaluation;

/// <summary>
/// The parts of a customer a rule can read besides its events by type: what an evaluation pass compares with
/// what changed since the last one, to skip the segments none of whose inputs moved.
/// </summary>
[Flags]
public enum StateParts
{
    None = 0,

    /// <summary>The event count and first and last seen: every accepted event changes them.</summary>
    Activity = 1,

    /// <summary>Orders and refunds (order_completed, order_refunded).</summary>
    Purchases = 2,

    /// <summary>Profile fields (identify).</summary>
    Profile = 4,

    /// <summary>The store's population statistics and classification settings.</summary>
    Population = 8,

    /// <summary>The store's fitted purchase models and lookalike models (they travel with its population, but change only at a refit).</summary>
    Models = 32,

    /// <summary>Whatever a rule may read: detail was evicted, or a rule reads something no other part names.</summary>
    Everything = Activity | Purchases | Profile | Population | Models | 16,
}
