namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>End-to-end tests share one Api process and run one after another (one restarts it).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
