using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Contracts.Validation;

/// <summary>
/// Maps Segment HTTP Tracking API messages (identify, track, page, screen, group, alias) to our events,
/// checked by the same validation as <c>POST …/events</c>. <c>messageId</c> becomes the event id,
/// <c>userId</c> (else <c>anonymousId</c>) the customer; e-commerce spec names map to our event types. An identify with both
/// carries the anonymous id as its <c>anonymousId</c> trait, and an alias its <c>previousId</c>: the customer merges that id in.
/// </summary>
public static class SegmentMessages
{
    public const int MaxSingleBytes = 32 * 1024;
    public const int MaxBatchBytes = 500 * 1024;
    public const int MaxBatchMessages = 2500;

    private static readonly Dictionary<string, string> TrackNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Order Completed"] = "order_completed",
        ["Order Refunded"] = "order_refunded",
        ["Product Viewed"] = "product_viewed",
        ["Product Added"] = "cart_added",
        ["Checkout Started"] = "checkout_started",
        ["Promotion Viewed"] = "promotion_viewed",
        ["Promotion Clicked"] = "promotion_clicked",
        ["Email Opened"] = "email_opened",
        ["Email Link Clicked"] = "email_clicked",
    };

    /// <summary>Segment trait names that are our profile traits under another name.</summary>
    private static readonly Dictionary<string, string> TraitNames = new(StringComparer.Ordinal)
    {
        ["birthday"] = "birthDate",
        ["first_name"] = "firstName",
        ["last_name"] = "lastName",
    };

    /// <summary>
    /// The event each message is, or the reasons (by message index) the request is rejected: that a message
    /// cannot be an event at all, else that an event breaks the rules of <c>POST …/events</c> (checked by
    /// <see cref="EventParser"/> as the message is mapped, with the same reasons).
    /// <paramref name="type"/> is the route's type for single calls, null for a batch (each message says).
    /// <paramref name="sentAt"/> is the batch's <c>sentAt</c> (<see cref="SentAt"/>), which outranks the messages' own.
    /// </summary>
    public static (ImmutableArray<CustomerEvent> Events, List<FieldError> Errors) Map(IReadOnlyList<JsonElement> messages, string? type, DateTimeOffset now, DateTimeOffset? sentAt = null)
    {
        var events = ImmutableArray.CreateBuilder<CustomerEvent>(messages.Count);
        var errors = new List<FieldError>();
        var invalid = new List<FieldError>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(i, "$", "a message must be a JSON object"));
                continue;
            }

            var messageType = type ?? Text(message, "type");
            if (Map(message, messageType, now, sentAt, i, errors, invalid) is { } mapped)
            {
                events.Add(mapped);
            }
        }

        // Messages that are no events are all the client hears of until every message maps.
        return errors.Count > 0 ? ([], errors)
            : invalid.Count > 0 ? ([], invalid)
            : (events.ToImmutable(), errors);
    }

    /// <summary>
    /// When the client sent a batch, by its own clock: the batch's <c>sentAt</c>. The libraries stamp it at each attempt
    /// (RudderStack's Node SDK stamps its messages' <c>sentAt</c> once, at the first), so a retry that arrives late is
    /// measured from its own sending and its events keep their places in time.
    /// </summary>
    public static DateTimeOffset? SentAt(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && Text(element, "sentAt") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    private static CustomerEvent? Map(JsonElement message, string? type, DateTimeOffset now, DateTimeOffset? batchSentAt, int index, List<FieldError> errors, List<FieldError> invalid)
    {
        var id = Text(message, "messageId");
        var customer = Text(message, "userId") ?? Text(message, "anonymousId");
        if (id is null)
        {
            errors.Add(new FieldError(index, "messageId", "is required (it makes retries idempotent)"));
        }

        if (customer is null)
        {
            errors.Add(new FieldError(index, "userId", "userId or anonymousId is required"));
        }

        var timestamp = Timestamp(message, now, batchSentAt ?? SentAt(message), index, errors);
        List<KeyValuePair<string, TrackedValue>> properties;
        string? eventType;
        switch (type)
        {
            case "identify":
                eventType = "identify";
                properties = Traits(message);

                // A known user's identify that still carries the anonymous id merges the anonymous visitor into them.
                if (Text(message, "userId") is { } user && Text(message, "anonymousId") is { } anonymous && anonymous != user)
                {
                    Set(properties, "anonymousId", TrackedValue.Of(anonymous));
                }

                break;
            case "track":
                var name = Text(message, "event");
                eventType = name is null ? null : TrackNames.GetValueOrDefault(name) ?? SnakeCase(name);
                if (eventType is null)
                {
                    errors.Add(new FieldError(index, "event", name is null
                        ? "track calls need an event name"
                        : "the event name needs letters or digits to become an event type"));
                }

                properties = Properties(message, "properties", eventType);
                break;
            case "page" or "screen":
                eventType = "visit";
                properties = Properties(message, "properties", eventType);
                if (Text(message, "name") is { } page)
                {
                    Set(properties, "name", TrackedValue.Of(page));
                }

                break;
            case "group":
                eventType = "group";
                properties = Properties(message, "traits", eventType);
                if (Text(message, "groupId") is { } group)
                {
                    Set(properties, "groupId", TrackedValue.Of(group));
                }

                break;
            case "alias":
                // Recorded on the new identity, which then absorbs the previous one (ARCHITECTURE: Where identities are merged).
                eventType = "alias";
                properties = [];
                if (Text(message, "previousId") is { } previous)
                {
                    Set(properties, "previousId", TrackedValue.Of(previous));
                }
                else
                {
                    errors.Add(new FieldError(index, "previousId", "alias calls need a previousId"));
                }

                break;
            default:
                errors.Add(new FieldError(index, "type", "must be identify, track, page, screen, group or alias"));
                return null;
        }

        if (id is null || customer is null || timestamp is null || eventType is null)
        {
            return null;
        }

        return EventParser.FromFields(id, customer, eventType, timestamp.Value, properties, index, now, invalid);
    }

    /// <summary>
    /// The event time: <c>timestamp</c>, else <c>originalTimestamp</c> (RudderStack's SDKs send only that), else now;
    /// moved back by how far the client's clock runs ahead, when its <paramref name="sentAt"/> is later than now.
    /// A <c>sentAt</c> in the past is not corrected for, unlike Segment's and RudderStack's servers: it cannot be told
    /// apart from a late delivery, and a late delivery is common — RudderStack's Node SDK retries the very bytes of its
    /// first attempt, <c>sentAt</c> included — so "correcting" it would move a retried batch's events to its arrival,
    /// after events that really happened later, and their traits would win. Kept as sent, every event is ordered by
    /// its own time (the customer orders by event time, whatever the arrival order: ARCHITECTURE, The path of one event).
    /// </summary>
    private static DateTimeOffset? Timestamp(JsonElement message, DateTimeOffset now, DateTimeOffset? sentAt, int index, List<FieldError> errors)
    {
        var field = Text(message, "timestamp") is not null ? "timestamp" : "originalTimestamp";
        if (Text(message, field) is not { } text)
        {
            return now;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            errors.Add(new FieldError(index, field, "must be ISO 8601"));
            return null;
        }

        if (sentAt is { } sent && sent > now)
        {
            // A timestamp at the edge of the calendar cannot move; it is out of range for events anyway.
            var ahead = sent - now;
            if (ahead < TimeSpan.FromDays(365) && at > DateTimeOffset.MinValue + ahead)
            {
                at -= ahead;
            }
        }

        return at.ToUniversalTime();
    }

    private static List<KeyValuePair<string, TrackedValue>> Traits(JsonElement message)
    {
        var traits = new List<KeyValuePair<string, TrackedValue>>();
        var source = message.TryGetProperty("traits", out var t) && t.ValueKind == JsonValueKind.Object
            ? t
            : message.TryGetProperty("context", out var c) && c.TryGetProperty("traits", out var ct) && ct.ValueKind == JsonValueKind.Object ? ct : default;
        if (source.ValueKind != JsonValueKind.Object)
        {
            return traits;
        }

        foreach (var trait in source.EnumerateObject())
        {
            if (trait.Name == "address" && trait.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var (from, to) in new[] { ("country", "country"), ("city", "city"), ("state", "region"), ("postalCode", "postalCode"), ("postal_code", "postalCode") })
                {
                    if (trait.Value.TryGetProperty(from, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        Set(traits, to, TrackedValue.Of(value.GetString()!));
                    }
                }
            }
            else if (IsScalar(trait.Value))
            {
                var name = TraitNames.GetValueOrDefault(trait.Name, trait.Name);
                Set(traits, name, name == "birthDate" && DateOnlyText(trait.Value) is { } date ? TrackedValue.Of(date) : TrackedValue.Of(trait.Value));
            }
        }

        return traits;
    }

    /// <summary>Flat properties; e-commerce <c>products[]</c> become our order <c>items</c>, <c>total</c> stands in for <c>revenue</c>.</summary>
    private static List<KeyValuePair<string, TrackedValue>> Properties(JsonElement message, string member, string? eventType)
    {
        var properties = new List<KeyValuePair<string, TrackedValue>>();
        if (!message.TryGetProperty(member, out var source) || source.ValueKind != JsonValueKind.Object)
        {
            return properties;
        }

        foreach (var property in source.EnumerateObject())
        {
            if (property.Name == "products" && property.Value.ValueKind == JsonValueKind.Array)
            {
                Set(properties, "items", TrackedValue.Of(Items(property.Value)));
            }
            else if (property.Name is "order_id" or "orderId")
            {
                // Sent as something else than a value, it still takes the place of an earlier one.
                Set(properties, "orderId", IsScalar(property.Value) ? TrackedValue.Of(property.Value) : default);
            }
            else if (IsScalar(property.Value))
            {
                Set(properties, property.Name, TrackedValue.Of(property.Value));
            }
        }

        if (eventType is "order_completed" or "order_refunded" && IndexOf(properties, "revenue") < 0 && IndexOf(properties, "total") is >= 0 and var total)
        {
            Set(properties, "revenue", properties[total].Value);
        }

        if (IndexOf(properties, "currency") is >= 0 and var at && properties[at].Value.Element is { ValueKind: JsonValueKind.String } currency)
        {
            Set(properties, "currency", TrackedValue.Of(currency.GetString()!.ToUpperInvariant()));
        }

        return properties;
    }

    private static List<OrderItem> Items(JsonElement products)
    {
        var items = new List<OrderItem>();
        foreach (var product in products.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object))
        {
            var sku = Value(product, "sku");
            items.Add(new OrderItem(
                sku.ValueKind == JsonValueKind.Undefined ? Value(product, "product_id") : sku,
                Value(product, "category"),
                Value(product, "price"),
                Value(product, "quantity")));
        }

        return items;
    }

    /// <summary>A member that <see cref="IsScalar"/>; <see cref="JsonValueKind.Undefined"/> otherwise.</summary>
    private static JsonElement Value(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && IsScalar(value) ? value : default;

    /// <summary>Strings, numbers, booleans and lists of strings pass; nested objects are left out.</summary>
    private static bool IsScalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
        JsonValueKind.Array => value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
        _ => false,
    };

    /// <summary>A name given again keeps its place and takes the new value, as in a JSON object.</summary>
    private static void Set(List<KeyValuePair<string, TrackedValue>> properties, string name, TrackedValue value)
    {
        var at = IndexOf(properties, name);
        if (at >= 0)
        {
            properties[at] = new(name, value);
        }
        else
        {
            properties.Add(new(name, value));
        }
    }

    private static int IndexOf(List<KeyValuePair<string, TrackedValue>> properties, string name) =>
        properties.FindIndex(p => string.Equals(p.Key, name, StringComparison.Ordinal));

    private static string? DateOnlyText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static string? Text(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>"Signed Up" → "signed_up"; names that cannot become an event type stay null.</summary>
    private static string? SnakeCase(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var result = builder.ToString().TrimEnd('_');
        return Ids.IsEventType(result) ? result : null;
    }
}
