namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>Tests that start an Api process of their own, with their own configuration, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class OwnApiCollection
{
    public const string Name = "own-api";
}
