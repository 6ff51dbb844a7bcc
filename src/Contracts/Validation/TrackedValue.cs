using System.Text.Json;

namespace CustomerGrains.Contracts.Validation;

/// <summary>
/// One property of a tracking message on its way to an event: a value as the message sent it, text the mapping
/// made (an address part, a page name, an upper-cased currency), or order lines from <c>products[]</c>. The
/// default is an explicit null, which counts as a property but sets none.
/// </summary>
internal readonly struct TrackedValue
{
    private TrackedValue(JsonElement element, string? text, IReadOnlyList<OrderItem>? products)
    {
        Element = element;
        Text = text;
        Products = products;
    }

    /// <summary>A value as sent (string, number, boolean or list of strings); <see cref="JsonValueKind.Undefined"/> otherwise.</summary>
    public JsonElement Element { get; }

    public string? Text { get; }

    public IReadOnlyList<OrderItem>? Products { get; }

    public static TrackedValue Of(JsonElement element) => new(element, null, null);

    public static TrackedValue Of(string text) => new(default, text, null);

    public static TrackedValue Of(IReadOnlyList<OrderItem> products) => new(default, null, products);
}
