namespace CustomerGrains.Grains.Reconcile;

/// <summary>
/// Checks the membership invariant (ARCHITECTURE: Invariants) for one store (key: store id): every segment's member set equals the
/// set of customers whose stored state satisfies its current rule. Reads only; reports the differences.
/// </summary>
[Alias("cg.IReconcileGrain")]
public interface IReconcileGrain : IGrainWithStringKey
{
    [Alias("Reconcile")]
    Task<ReconcileReport> ReconcileAsync();
}
