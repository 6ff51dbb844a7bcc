namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>All cluster tests share one cluster; each uses its own store id, so none sees another's data.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
