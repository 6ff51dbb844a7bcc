using System.Collections.Immutable;

namespace CustomerGrains.Grains.Reconcile;

[GenerateSerializer, Immutable, Alias("cg.ReconcileReport")]
public sealed record ReconcileReport(
    [property: Id(0)] long Customers,
    [property: Id(1)] ImmutableArray<SegmentDifference> Segments,
    [property: Id(2)] ImmutableArray<string> Rankings = default)
{
    /// <summary>Members are the recount, and every customer's row in the purchase index (what rankings read) is its state's.</summary>
    public bool Consistent => Segments.All(s => s.Extra.IsEmpty && s.Missing.IsEmpty) && (Rankings.IsDefault || Rankings.IsEmpty);
}
