namespace CustomerGrains.Grains.Webhooks;

/// <summary>The kinds of change a webhook may ask for.</summary>
public static class WebhookKinds
{
    public const string Entered = "entered";
    public const string Exited = "exited";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Entered, Exited };
}
