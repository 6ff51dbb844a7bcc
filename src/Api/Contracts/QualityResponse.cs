using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Api.Contracts;

/// <summary>A store's data-quality report: per check the customers it finds, in any field and per field, with example ids.</summary>
public sealed record QualityResponse(
    long Customers,
    IReadOnlyList<string> KeyTraits,
    QualityCheckResponse Missing,
    QualityCheckResponse Invalid,
    DuplicatesResponse Duplicates,
    ObsoleteResponse Obsolete,
    QualityCheckResponse Contradictions,
    QualityRebuildResponse Rebuild,
    DateTimeOffset AsOf)
{
    public static QualityResponse From(QualitySummary s) => new(
        s.Customers,
        s.KeyTraits,
        QualityCheckResponse.From(s.Missing),
        QualityCheckResponse.From(s.Invalid),
        new DuplicatesResponse(
            s.Duplicates.Any.Groups,
            s.Duplicates.Any.Customers,
            [.. s.Duplicates.Any.Examples.Select(g => (IReadOnlyList<string>)[.. g])],
            s.Duplicates.Fields.ToDictionary(f => f.Field!, f => new DuplicateCountResponse(f.Groups, f.Customers, [.. f.Examples.Select(g => (IReadOnlyList<string>)[.. g])]))),
        new ObsoleteResponse(s.Obsolete.InactiveDays, s.Obsolete.Since, s.Obsolete.Count, s.Obsolete.Examples),
        QualityCheckResponse.From(s.Contradictions),
        QualityRebuildResponse.From(s.Rebuild),
        s.AsOf);
}

/// <summary>The customers a check finds in any of its fields, and per field.</summary>
public sealed record QualityCheckResponse(long Count, IReadOnlyList<string> Examples, IReadOnlyDictionary<string, QualityCountResponse> Fields)
{
    public static QualityCheckResponse From(QualityCheckSummary s) =>
        new(s.Any.Count, s.Any.Examples, s.Fields.ToDictionary(f => f.Field!, f => new QualityCountResponse(f.Count, f.Examples)));
}

public sealed record QualityCountResponse(long Count, IReadOnlyList<string> Examples);

/// <summary>Groups of customers sharing a key, the customers in them (<c>count</c>), and example groups of ids.</summary>
public sealed record DuplicatesResponse(long Groups, long Count, IReadOnlyList<IReadOnlyList<string>> Examples, IReadOnlyDictionary<string, DuplicateCountResponse> Fields);

public sealed record DuplicateCountResponse(long Groups, long Count, IReadOnlyList<IReadOnlyList<string>> Examples);

/// <summary>Customers with no activity since <c>since</c> (now − <c>inactiveDays</c>), least recently active first.</summary>
public sealed record ObsoleteResponse(int InactiveDays, DateTimeOffset Since, long Count, IReadOnlyList<string> Examples);

/// <summary>The last rebuild of the report from the store's customers.</summary>
public sealed record QualityRebuildResponse(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, long Customers)
{
    public static QualityRebuildResponse From(QualityRebuild r) => new(r.Running, r.StartedAt, r.FinishedAt, r.Customers);
}

/// <summary>The traits whose absence the missing check reports.</summary>
public sealed record QualitySettingsResponse(IReadOnlyList<string> KeyTraits);
