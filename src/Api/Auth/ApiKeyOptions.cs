namespace CustomerGrains.Api.Auth;

/// <summary>Section <c>CustomerGrains</c>: the keys this Api accepts from configuration, and how long it trusts a created key's lookup.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "CustomerGrains";

    public List<ApiKey> ApiKeys { get; set; } = [];

    /// <summary>
    /// How long a created key's lookup is reused before it is checked again: a key revoked through another Api
    /// stops working within this bound (at once on the Api that revoked it). Zero checks on every request.
    /// </summary>
    public TimeSpan ApiKeyCache { get; set; } = TimeSpan.FromSeconds(5);
}
