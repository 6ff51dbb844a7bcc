namespace CustomerGrains.Grains.ApiKeys;

[GenerateSerializer, Alias("cg.ApiKeyState")]
public sealed class ApiKeyState
{
    /// <summary>By key id.</summary>
    [Id(0)] public Dictionary<string, StoredApiKey> Keys { get; set; } = new(StringComparer.Ordinal);
}
