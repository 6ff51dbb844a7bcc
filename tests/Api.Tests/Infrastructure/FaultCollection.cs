namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// The fault tests, one after another, on a PostgreSQL server of their own: one of them crashes it, which
/// must not disturb the other PostgreSQL tests running beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "faults";
}
