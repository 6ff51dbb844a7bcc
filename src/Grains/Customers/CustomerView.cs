using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>What <c>GET /v1/stores/{store}/customers/{id}</c> returns.</summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerView")]
public sealed record CustomerView(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] ImmutableDictionary<string, PropertyValue> Profile,
    [property: Id(2)] Traits Traits,
    [property: Id(3)] ImmutableArray<CustomerSegment> Segments,
    [property: Id(4)] string Lifecycle,
    [property: Id(5)] Classification.CustomerClass? Class,
    [property: Id(6)] Evaluation.CustomerPrediction? Prediction = null,
    [property: Id(7)] ImmutableArray<Evaluation.CustomerLookalike> Lookalikes = default,
    [property: Id(8)] ImmutableArray<RawTrait> RawValues = default,
    [property: Id(9)] ImmutableArray<string> MergedIds = default);
