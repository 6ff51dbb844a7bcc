using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CustomerGrains.Grains.Tests.Hosting;

/// <summary><c>Customers:IdleAfter</c> is the collection age Orleans applies to customer grains, and to them alone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CustomerIdleTests(ClusterFixture cluster)
{
    [Fact]
    public void Customers_are_collected_after_the_configured_idle_time_and_other_grains_after_orleans_own()
    {
        foreach (var services in cluster.SiloServices)
        {
            var collection = services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
            var configured = services.GetRequiredService<IOptions<CustomerActivationOptions>>().Value.IdleAfter;
            Assert.Equal(TimeSpan.FromMinutes(15), configured);
            Assert.Equal(configured, collection.ClassSpecificCollectionAge[typeof(CustomerGrain).FullName!]);
            Assert.Single(collection.ClassSpecificCollectionAge);
        }
    }
}
