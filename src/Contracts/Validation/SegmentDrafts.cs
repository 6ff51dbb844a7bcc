using System.Text.Json;
using CustomerGrains.Grains.Rules;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Contracts.Validation;

/// <summary>
/// Validates a segment definition {id, name, description, parent, rule, holdout, minDwell}; the rule may be text or the JSON
/// tree form and comes out as canonical rule text; holdout is a whole percentage from 0 to 50 (default 0); minDwell a
/// duration such as <c>10m</c> (see <see cref="SegmentDwell"/>). Every reason
/// is reported, none by index.
/// </summary>
public static class SegmentDrafts
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>
    /// The draft, or null with the reasons in <paramref name="errors"/>. <paramref name="routeId"/> is the
    /// segment a PUT names in its route (the body's id may repeat it), null for a create.
    /// </summary>
    public static SegmentDraft? Parse(JsonElement root, string? routeId, List<FieldError> errors)
    {
        var before = errors.Count;
        var id = OptionalString(root, "id", errors);
        if (routeId is not null)
        {
            if (id is not null && id != routeId)
            {
                errors.Add(new FieldError(null, "id", "differs from the segment in the route"));
            }

            id = routeId;
        }
        else if (!Ids.IsSegment(id))
        {
            errors.Add(new FieldError(null, "id", "is required and must match [a-z][a-z0-9_-]{0,63}"));
        }

        var name = OptionalString(root, "name", errors) ?? id;
        if (name is null || name.Length is 0 or > 200 || !Ids.IsCleanText(name))
        {
            errors.Add(new FieldError(null, "name", "must be 1–200 characters"));
        }

        var description = OptionalString(root, "description", errors);
        if (description is { Length: > 2000 } || (description is not null && !Ids.IsCleanText(description.Replace('\n', ' '))))
        {
            errors.Add(new FieldError(null, "description", "must be at most 2000 characters"));
        }

        var parent = OptionalString(root, "parent", errors);
        if (parent is not null && (!Ids.IsSegment(parent) || parent == id))
        {
            errors.Add(new FieldError(null, "parent", "must be the id of another segment of this store"));
        }

        var holdout = 0;
        if (root.TryGetProperty("holdout", out var share) && share.ValueKind != JsonValueKind.Null
            && (share.ValueKind != JsonValueKind.Number || !share.TryGetInt32(out holdout) || holdout is < 0 or > Holdout.MaxPercent))
        {
            errors.Add(new FieldError(null, "holdout", $"must be a whole number of percent from 0 to {Holdout.MaxPercent}"));
        }

        TimeSpan? minDwell = null;
        if (root.TryGetProperty("minDwell", out var dwell) && dwell.ValueKind != JsonValueKind.Null
            && (dwell.ValueKind != JsonValueKind.String || (minDwell = SegmentDwell.Parse(dwell.GetString()!)) is null))
        {
            errors.Add(new FieldError(null, "minDwell", SegmentDwell.Range["minDwell ".Length..]));
        }

        foreach (var field in root.EnumerateObject())
        {
            if (field.Name is not ("id" or "name" or "description" or "parent" or "rule" or "holdout" or "minDwell"))
            {
                errors.Add(new FieldError(null, field.Name, "unknown field"));
            }
        }

        var rule = Rule(root, errors, out var ast);
        if (errors.Count != before)
        {
            return null;
        }

        // When a silo shares this process (the embedded host), its catalog finds the rule checked and parsed.
        SegmentRules.Remember(rule!, parent, ast!);
        return new SegmentDraft(id!, name!, description, rule!, parent, holdout, minDwell);
    }

    /// <summary>The <c>rule</c> member (text or JSON tree) as canonical rule text, or null with the reason.</summary>
    public static string? Rule(JsonElement root, List<FieldError> errors) => Rule(root, errors, out _);

    private static string? Rule(JsonElement root, List<FieldError> errors, out RuleNode? ast)
    {
        ast = null;
        if (!root.TryGetProperty("rule", out var rule) || rule.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(null, "rule", "is required: rule text or its JSON tree"));
            return null;
        }

        if (rule.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
        {
            errors.Add(new FieldError(null, "rule", "must be rule text or its JSON tree"));
            return null;
        }

        try
        {
            // One pass to the tree, from either form; the canonical text is written from the tree.
            string canonical;
            ast = rule.ValueKind == JsonValueKind.String
                ? RuleCompiler.Parse(rule.GetString()!, out canonical)
                : RuleCompiler.ParseJson(rule, out canonical);
            return canonical;
        }
        catch (RuleSyntaxException error)
        {
            // The offset lets an editor point at the spot; a JSON tree's pieces have no place in what was sent.
            var position = rule.ValueKind == JsonValueKind.String && error.Position >= 0 ? error.Position : (int?)null;
            errors.Add(new FieldError(null, "rule", error.Message) { Position = position });
            return null;
        }
    }

    private static string? OptionalString(JsonElement root, string name, List<FieldError> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(null, name, "must be a string"));
            return null;
        }

        return value.GetString();
    }
}
