using System.Text.Json.Serialization;
using CustomerGrains.Grains.Quality;

namespace CustomerGrains.Api.Contracts;

/// <summary>A page of one check; pass <c>next</c> back as <c>after</c> for the following page (null after the last).</summary>
public sealed record QualityPageResponse(IReadOnlyList<QualityItemResponse> Items, string? Next);

/// <summary>One customer a check finds and what it found; only the check's own part is present.</summary>
public sealed record QualityItemResponse(
    string CustomerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Missing,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<InvalidFieldResponse>? Invalid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DuplicateGroupResponse>? Duplicates,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? LastActivityAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ContradictionResponse>? Contradictions)
{
    public static QualityItemResponse From(QualityItem i) => new(
        i.CustomerId,
        i.Missing.IsDefault ? null : i.Missing,
        i.Invalid.IsDefault ? null : [.. i.Invalid.Select(f => new InvalidFieldResponse(f.Field, f.Reason))],
        i.Duplicates.IsDefault ? null : [.. i.Duplicates.Select(g => new DuplicateGroupResponse(g.Field, g.Size, g.CustomerIds))],
        i.LastActivity,
        i.Contradictions.IsDefault ? null : [.. i.Contradictions.Select(c => new ContradictionResponse(c.Kind, c.Detail))]);
}

/// <summary>A normalised trait whose last value received could not be read, and why.</summary>
public sealed record InvalidFieldResponse(string Field, string Reason);

/// <summary>Customers sharing one key: how many, and the first 20 ids.</summary>
public sealed record DuplicateGroupResponse(string Field, int Size, IReadOnlyList<string> CustomerIds);

public sealed record ContradictionResponse(string Kind, string Detail);
