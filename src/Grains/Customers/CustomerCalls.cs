using System.Collections.Immutable;
using CustomerGrains.Grains.DataQuality;
using CustomerGrains.Grains.Deadlines;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// How the rooms below reach customers (<see cref="ISegmentSubjects"/>, <see cref="IDueCustomers"/>,
/// <see cref="ILookalikeCases"/>, <see cref="IQualitySubjects"/>): one grain call per customer.
/// </summary>
public sealed class CustomerCalls(IGrainFactory grains) : ISegmentSubjects, IDueCustomers, ILookalikeCases, IQualitySubjects
{
    public Task<Quality.QualityUpdate[]> QualityAsync(string store, IReadOnlyList<string> customerIds) =>
        Task.WhenAll(customerIds.Select(id => Customer(store, id).QualityAsync()));

    public Task<LookalikeCase?[]> DescribeAsync(string store, IReadOnlyList<string> customerIds, string seed, ImmutableArray<string> features) =>
        Task.WhenAll(customerIds.Select(id => Customer(store, id).DescribeAsync(seed, features)));

    public Task<double?[]> ScoreAsync(string store, IReadOnlyList<string> customerIds, string lookalike) =>
        Task.WhenAll(customerIds.Select(id => Customer(store, id).LookalikeScoreAsync(lookalike)));

    public Task ReevaluateAsync(string store, IReadOnlyList<string> customerIds, long catalogVersion) =>
        Task.WhenAll(customerIds.Select(id => Customer(store, id).ReevaluateAsync(catalogVersion)));

    public Task<bool[]> MatchAsync(string store, IReadOnlyList<string> customerIds, string ruleText) =>
        Task.WhenAll(customerIds.Select(id => Customer(store, id).MatchesAsync(ruleText)));

    public Task WakeAsync(string store, string customerId, DateTimeOffset due) => Customer(store, customerId).WakeAsync(due);

    private ICustomerGrain Customer(string store, string customerId) => grains.Get<ICustomerGrain>(GrainKeys.Customer(store, customerId));
}
