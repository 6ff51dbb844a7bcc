namespace CustomerGrains.Api.Contracts;

/// <summary>A draft rule's exact count over the store's customers now, and a sample of them; nothing saved.</summary>
public sealed record PreviewResponse(string Rule, long Count, long Evaluated, IReadOnlyList<string> Sample, DateTimeOffset AsOf);
