namespace CustomerGrains.Grains.Reconcile;

/// <summary>
/// Checks the invariant of DESIGN §5 for one store (key: store id): every segment's member set equals the
/// set of customers whose stored state satisfies its current rule. Reads only; reports the differences.
/// </summary>
[Alias("cg.IReconcileGrain")]
public interface IReconcileGrain : IGrainWithStringKey
{
    [Alias("Reconcile")]
    Task<ReconcileReport> ReconcileAsync();
}
