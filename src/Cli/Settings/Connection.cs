namespace CustomerGrains.Cli.Settings;

/// <summary>Where the commands go and as whom, with where each setting came from (<c>config show</c> tells it).</summary>
public sealed record Connection(Uri Url, string Store, string Key, string UrlSource, string StoreSource, string KeySource, string? ConfigPath);
