using System.Collections.Immutable;

namespace CustomerGrains.Grains.Reconcile;

[GenerateSerializer, Immutable, Alias("cg.ReconcileReport")]
public sealed record ReconcileReport(
    [property: Id(0)] long Customers,
    [property: Id(1)] ImmutableArray<SegmentDifference> Segments)
{
    public bool Consistent => Segments.All(s => s.Extra.IsEmpty && s.Missing.IsEmpty);
}
