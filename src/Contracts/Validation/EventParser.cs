using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Contracts.Validation;

/// <summary>
/// Validates and maps a JSON array of events. Every bad event is reported by index and reason; a request
/// with any bad event is rejected whole, so nothing of it is applied.
/// </summary>
public static partial class EventParser
{
    public const int MaxEvents = 1000;
    public const int MaxBytes = 1024 * 1024;
    public const int MaxProperties = 64;
    public const int MaxStringLength = 4096;
    public const int MaxListItems = 100;

    /// <summary>Events must not claim to come from before this instant.</summary>
    public static readonly DateTimeOffset Earliest = new(1990, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of the server clock an event may be stamped (client clock skew).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    public static (ImmutableArray<CustomerEvent> Events, List<FieldError> Errors) ParseBatch(JsonElement root, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError(null, "$", "the body must be a JSON array of events"));
            return ([], errors);
        }

        var events = ImmutableArray.CreateBuilder<CustomerEvent>(root.GetArrayLength());
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (ParseEvent(item, index, now, errors) is { } e)
            {
                events.Add(e);
            }

            index++;
        }

        return (events.ToImmutable(), errors);
    }

    public static CustomerEvent? ParseEvent(JsonElement item, int? index, DateTimeOffset now, List<FieldError> errors)
    {
        var before = errors.Count;
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(index, "$", "an event must be a JSON object"));
            return null;
        }

        var id = RequiredId(item, "id", index, errors);
        var customerId = CheckCustomer(RequiredId(item, "customerId", index, errors), index, errors);
        var type = RequiredString(item, "type", index, errors);
        if (type is not null)
        {
            CheckType(type, index, errors);
        }

        var timestamp = ParseTimestamp(item, index, now, errors);
        var properties = EventProperties.Empty;
        if (item.TryGetProperty("properties", out var props) && props.ValueKind != JsonValueKind.Null)
        {
            properties = ParseProperties(props, index, "properties", errors);
        }

        foreach (var field in item.EnumerateObject())
        {
            if (field.Name is not ("id" or "customerId" or "type" or "timestamp" or "properties"))
            {
                errors.Add(new FieldError(index, field.Name, "unknown field; put custom data under 'properties'"));
            }
        }

        if (errors.Count == before && type is not null)
        {
            properties = CheckTypedProperties(type, properties, index, errors);
        }

        return errors.Count == before
            ? new CustomerEvent(id!, customerId!, type!, timestamp!.Value, properties)
            : null;
    }

    /// <summary>
    /// An event whose fields a Segment tracking message already gave (see <see cref="SegmentMessages"/>), checked
    /// by the same rules with the same reasons as <see cref="ParseEvent"/>, without a JSON event in between.
    /// </summary>
    internal static CustomerEvent? FromFields(
        string id, string customerId, string type, DateTimeOffset timestamp, IReadOnlyList<KeyValuePair<string, TrackedValue>> properties,
        int index, DateTimeOffset now, List<FieldError> errors)
    {
        var before = errors.Count;
        CheckId(id, "id", index, errors);
        CheckCustomer(CheckId(customerId, "customerId", index, errors), index, errors);
        CheckType(type, index, errors);
        var at = CheckTimestamp(timestamp, index, now, errors);
        var parsed = ParseTracked(properties, index, "properties", errors);
        if (errors.Count == before)
        {
            parsed = CheckTypedProperties(type, parsed, index, errors);
        }

        return errors.Count == before ? new CustomerEvent(id, customerId, type, at!.Value, parsed) : null;
    }

    /// <summary>Profile traits (an identify event's properties, or a profile PUT body). Of a name given twice, the last value counts.</summary>
    public static EventProperties ParseProperties(JsonElement props, int? index, string path, List<FieldError> errors)
    {
        if (props.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(index, path, "must be a JSON object"));
            return EventProperties.Empty;
        }

        var result = new List<KeyValuePair<string, PropertyValue>>();
        var count = 0;
        foreach (var property in props.EnumerateObject())
        {
            if (++count > MaxProperties)
            {
                errors.Add(new FieldError(index, path, $"at most {MaxProperties} properties"));
                break;
            }

            if (!IsPropertyName(property.Name, index, path, errors))
            {
                continue;
            }

            if (property.Name == "items" && property.Value.ValueKind == JsonValueKind.Array)
            {
                SetItems(result, ParseItems(property.Value.EnumerateArray().Select(OrderItem.From), index, $"{path}.{property.Name}", errors));
                continue;
            }

            if (ParseValue(property.Value, index, path, property.Name, errors) is { } parsed)
            {
                Set(result, property.Name, parsed);
            }
        }

        return EventProperties.From(result);
    }

    /// <summary><see cref="ParseProperties"/> for values a tracking message gave, by the same rules.</summary>
    private static EventProperties ParseTracked(IReadOnlyList<KeyValuePair<string, TrackedValue>> props, int index, string path, List<FieldError> errors)
    {
        var result = new List<KeyValuePair<string, PropertyValue>>();
        var count = 0;
        foreach (var (name, value) in props)
        {
            if (++count > MaxProperties)
            {
                errors.Add(new FieldError(index, path, $"at most {MaxProperties} properties"));
                break;
            }

            if (!IsPropertyName(name, index, path, errors))
            {
                continue;
            }

            if (value.Products is { } products)
            {
                SetItems(result, ParseItems(products.Select(p => (OrderItem?)p), index, $"{path}.{name}", errors));
            }
            else if (value.Text is { } text)
            {
                if (ParseText(text, index, path, name, errors) is { } parsed)
                {
                    Set(result, name, parsed);
                }
            }
            else if (name == "items" && value.Element.ValueKind == JsonValueKind.Array)
            {
                SetItems(result, ParseItems(value.Element.EnumerateArray().Select(OrderItem.From), index, $"{path}.{name}", errors));
            }
            else if (value.Element.ValueKind != JsonValueKind.Undefined && ParseValue(value.Element, index, path, name, errors) is { } parsed)
            {
                Set(result, name, parsed);
            }
        }

        return EventProperties.From(result);
    }

    private static bool IsPropertyName(string name, int? index, string path, List<FieldError> errors)
    {
        if (PropertyName().IsMatch(name))
        {
            return true;
        }

        errors.Add(new FieldError(index, $"{path}.{name}", "property names must match [A-Za-z_][A-Za-z0-9_]{0,63}"));
        return false;
    }

    // Order lines are flattened into lists the rules can test ('categories contains "shoes"').
    private static void SetItems(List<KeyValuePair<string, PropertyValue>> properties, IEnumerable<(string Name, PropertyValue Value)> flattened)
    {
        foreach (var (name, value) in flattened)
        {
            Set(properties, name, value);
        }
    }

    // A handful of properties: a scan costs less than a dictionary would.
    private static void Set(List<KeyValuePair<string, PropertyValue>> properties, string name, PropertyValue value)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            if (string.Equals(properties[i].Key, name, StringComparison.Ordinal))
            {
                properties[i] = new(name, value);
                return;
            }
        }

        properties.Add(new(name, value));
    }

    // The field's name is built only for an error: most values are fine, and a request carries thousands.
    private static PropertyValue? ParseValue(JsonElement value, int? index, string path, string name, List<FieldError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
            case JsonValueKind.False:
                return PropertyValue.Of(value.GetBoolean());
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    errors.Add(new FieldError(index, $"{path}.{name}", "must be a finite number"));
                    return null;
                }

                return PropertyValue.Of(number);
            case JsonValueKind.String:
                return ParseText(value.GetString()!, index, path, name, errors);
            case JsonValueKind.Array:
                var items = new List<string>();
                foreach (var element in value.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.String || element.GetString() is not { } s || s.Length > 256 || !Ids.IsCleanText(s))
                    {
                        errors.Add(new FieldError(index, $"{path}.{name}", "lists may hold only strings of at most 256 characters"));
                        return null;
                    }

                    items.Add(s);
                }

                if (items.Count > MaxListItems)
                {
                    errors.Add(new FieldError(index, $"{path}.{name}", $"lists may hold at most {MaxListItems} items"));
                    return null;
                }

                return PropertyValue.Of(items);
            default:
                errors.Add(new FieldError(index, $"{path}.{name}", "nested objects are not supported (except order 'items'); flatten them"));
                return null;
        }
    }

    private static PropertyValue? ParseText(string text, int? index, string path, string name, List<FieldError> errors)
    {
        if (text.Length > MaxStringLength || !Ids.IsCleanText(text))
        {
            errors.Add(new FieldError(index, $"{path}.{name}", $"strings must be at most {MaxStringLength} characters without control characters"));
            return null;
        }

        return PropertyValue.Of(text);
    }

    /// <summary>Order lines; a null one was no JSON object.</summary>
    private static IEnumerable<(string Name, PropertyValue Value)> ParseItems(IEnumerable<OrderItem?> items, int? index, string field, List<FieldError> errors)
    {
        var skus = new List<string>();
        var categories = new List<string>();
        var quantity = 0.0;
        var position = 0;
        foreach (var line in items)
        {
            var at = $"{field}[{position++}]";
            if (line is not { } item)
            {
                errors.Add(new FieldError(index, at, "an item must be an object {sku, category, price, quantity}"));
                continue;
            }

            if (item.Sku.ValueKind == JsonValueKind.String && item.Sku.GetString() is { Length: > 0 and <= 256 } s)
            {
                skus.Add(s);
            }

            if (item.Category.ValueKind == JsonValueKind.String && item.Category.GetString() is { Length: > 0 and <= 256 } c)
            {
                categories.Add(c);
            }

            var price = item.Price;
            if (price.ValueKind != JsonValueKind.Undefined && (price.ValueKind != JsonValueKind.Number || !price.TryGetDouble(out var p) || !double.IsFinite(p) || p < 0))
            {
                errors.Add(new FieldError(index, $"{at}.price", "must be a finite number ≥ 0"));
            }

            var qty = item.Quantity;
            if (qty.ValueKind != JsonValueKind.Undefined)
            {
                if (qty.ValueKind != JsonValueKind.Number || !qty.TryGetDouble(out var q) || !double.IsFinite(q) || q < 0)
                {
                    errors.Add(new FieldError(index, $"{at}.quantity", "must be a finite number ≥ 0"));
                }
                else
                {
                    quantity += q;
                }
            }
        }

        if (position > 1000)
        {
            errors.Add(new FieldError(index, field, "at most 1000 items"));
        }

        yield return ("skus", PropertyValue.Of(skus.Distinct(StringComparer.Ordinal).Take(MaxListItems)));
        yield return ("categories", PropertyValue.Of(categories.Distinct(StringComparer.Ordinal).Take(MaxListItems)));
        yield return ("quantity", PropertyValue.Of(quantity));
        yield return ("itemCount", PropertyValue.Of(position));
    }

    private static EventProperties CheckTypedProperties(
        string type, EventProperties properties, int? index, List<FieldError> errors)
    {
        switch (type)
        {
            case EventTypes.OrderCompleted:
                if (!properties.TryGetValue("revenue", out var revenue))
                {
                    errors.Add(new FieldError(index, "properties.revenue", "order_completed needs a revenue (a number ≥ 0)"));
                }
                else if (revenue.Kind != PropertyKind.Number || revenue.Number < 0)
                {
                    errors.Add(new FieldError(index, "properties.revenue", "must be a number ≥ 0"));
                }

                CheckCurrency(properties, index, errors);
                break;
            case EventTypes.OrderRefunded:
                foreach (var name in new[] { "revenue", "amount" })
                {
                    if (properties.TryGetValue(name, out var amount) && (amount.Kind != PropertyKind.Number || amount.Number < 0))
                    {
                        errors.Add(new FieldError(index, $"properties.{name}", "must be a number ≥ 0"));
                    }
                }

                if (!properties.TryGetValue("revenue", out _) && !properties.TryGetValue("amount", out _) && !properties.TryGetValue("orderId", out _))
                {
                    errors.Add(new FieldError(index, "properties", "order_refunded needs an amount ('revenue' or 'amount') or the 'orderId' it fully refunds"));
                }

                CheckCurrency(properties, index, errors);
                break;
            case EventTypes.Identify:
                CheckProfile(properties, index, "properties", errors);
                break;
        }

        return properties;
    }

    /// <summary>
    /// Known profile traits have known shapes: a value of the wrong JSON type is refused. What a string says is not
    /// judged here: an e-mail, country, phone or birth date that cannot be normalised is dirty data, not a broken
    /// request, and the customer keeps it as a raw value with the reason (<c>Profiles.ProfileNormalisation</c>).
    /// </summary>
    public static void CheckProfile(EventProperties traits, int? index, string path, List<FieldError> errors)
    {
        foreach (var (name, value) in traits)
        {
            switch (name)
            {
                case "interests" when value.Kind != PropertyKind.List:
                    errors.Add(new FieldError(index, $"{path}.{name}", "must be a list of strings"));
                    break;
                case "email" or "birthDate" or "firstName" or "lastName" or "gender" or "country" or "region" or "city" or "postalCode"
                    or "incomeBand" or "occupation"
                    when value.Kind != PropertyKind.Text:
                    errors.Add(new FieldError(index, $"{path}.{name}", "must be a string"));
                    break;
            }
        }
    }

    private static void CheckCurrency(EventProperties properties, int? index, List<FieldError> errors)
    {
        if (properties.TryGetValue("currency", out var currency) && (currency.Kind != PropertyKind.Text || !Currency().IsMatch(currency.Text!)))
        {
            errors.Add(new FieldError(index, "properties.currency", "must be a three-letter ISO 4217 code such as 'EUR'"));
        }
    }

    private static string? RequiredId(JsonElement item, string name, int? index, List<FieldError> errors) =>
        RequiredString(item, name, index, errors) is { } value ? CheckId(value, name, index, errors) : null;

    private static string? CheckId(string value, string name, int? index, List<FieldError> errors)
    {
        if (!Ids.IsExternal(value))
        {
            errors.Add(new FieldError(index, name, $"must be 1–{Ids.MaxIdLength} characters without control characters or surrounding spaces"));
            return null;
        }

        return value;
    }

    private static string? CheckCustomer(string? customerId, int? index, List<FieldError> errors)
    {
        if (customerId is "." or "..")
        {
            // No URL can name such a customer (clients and servers resolve dot segments), so it could never be read or erased.
            errors.Add(new FieldError(index, "customerId", "cannot be '.' or '..'"));
            return null;
        }

        return customerId;
    }

    private static void CheckType(string type, int? index, List<FieldError> errors)
    {
        if (!Ids.IsEventType(type))
        {
            errors.Add(new FieldError(index, "type", "must match [a-z][a-z0-9_]{0,63}"));
        }
    }

    private static string? RequiredString(JsonElement item, string name, int? index, List<FieldError> errors)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(index, name, "is required"));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(index, name, "must be a string"));
            return null;
        }

        return value.GetString();
    }

    private static DateTimeOffset? ParseTimestamp(JsonElement item, int? index, DateTimeOffset now, List<FieldError> errors)
    {
        var text = RequiredString(item, "timestamp", index, errors);
        if (text is null)
        {
            return null;
        }

        if (!Timestamp().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp))
        {
            errors.Add(new FieldError(index, "timestamp", "must be ISO 8601 with an offset, e.g. 2026-11-23T10:00:00Z"));
            return null;
        }

        return CheckTimestamp(timestamp, index, now, errors);
    }

    private static DateTimeOffset? CheckTimestamp(DateTimeOffset timestamp, int? index, DateTimeOffset now, List<FieldError> errors)
    {
        if (timestamp < Earliest || timestamp > now + MaxFutureSkew)
        {
            errors.Add(new FieldError(index, "timestamp", $"must be between {Earliest:yyyy-MM-dd} and one day from now"));
            return null;
        }

        return timestamp.ToUniversalTime();
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Timestamp();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex PropertyName();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();
}
