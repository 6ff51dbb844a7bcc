namespace CustomerGrains.Api.Contracts;

/// <summary>A store's retention: customers with no activity for <c>inactiveDays</c> are purged; null: kept.</summary>
public sealed record RetentionResponse(int? InactiveDays);

/// <summary>A dry run: how many customers a retention of <c>inactiveDays</c> purges now (of <c>evaluated</c>), and the first of them.</summary>
public sealed record RetentionPreviewResponse(int InactiveDays, long Count, long Evaluated, IReadOnlyList<string> Customers, DateTimeOffset AsOf);
