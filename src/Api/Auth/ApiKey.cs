namespace CustomerGrains.Api.Auth;

/// <summary>A configured API key: it belongs to one store and carries scopes.</summary>
public sealed class ApiKey
{
    public string Key { get; set; } = "";

    public string Store { get; set; } = "";

    /// <summary>Any of <c>ingest</c>, <c>read</c>, <c>admin</c>.</summary>
    public List<string> Scopes { get; set; } = [];
}
