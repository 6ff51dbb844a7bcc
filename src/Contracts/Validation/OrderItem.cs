using System.Text.Json;

namespace CustomerGrains.Contracts.Validation;

/// <summary>
/// The fields of one order line that count (<c>properties.items[]</c> of an event, or a tracking message's
/// <c>products[]</c>); a field that was not sent is <see cref="JsonValueKind.Undefined"/>.
/// </summary>
internal readonly record struct OrderItem(JsonElement Sku, JsonElement Category, JsonElement Price, JsonElement Quantity)
{
    /// <summary>The line an event's <c>items</c> array holds; null when it is no JSON object.</summary>
    public static OrderItem? From(JsonElement item) => item.ValueKind == JsonValueKind.Object
        ? new OrderItem(Member(item, "sku"), Member(item, "category"), Member(item, "price"), Member(item, "quantity"))
        : null;

    private static JsonElement Member(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value : default;
}
