namespace CustomerGrains.Api.Auth;

/// <summary>Section <c>CustomerGrains:ApiKeys</c>: the keys this Api accepts.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "CustomerGrains";

    public List<ApiKey> ApiKeys { get; set; } = [];
}
