using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Grains.Tests.Infrastructure;

/// <summary>Terse event builders for tests.</summary>
internal static class Events
{
    public static CustomerEvent Visit(string id, string customer, DateTimeOffset at) =>
        Make(id, customer, EventTypes.Visit, at);

    public static CustomerEvent Viewed(string id, string customer, DateTimeOffset at, string category) =>
        Make(id, customer, EventTypes.ProductViewed, at, ("category", PropertyValue.Of(category)));

    public static CustomerEvent Order(string id, string customer, DateTimeOffset at, double revenue, string? orderId = null) =>
        orderId is null
            ? Make(id, customer, EventTypes.OrderCompleted, at, ("revenue", PropertyValue.Of(revenue)))
            : Make(id, customer, EventTypes.OrderCompleted, at, ("revenue", PropertyValue.Of(revenue)), ("orderId", PropertyValue.Of(orderId)));

    public static CustomerEvent Refund(string id, string customer, DateTimeOffset at, double? amount, string? orderId = null)
    {
        var props = new List<(string, PropertyValue)>();
        if (amount is { } a)
        {
            props.Add(("revenue", PropertyValue.Of(a)));
        }

        if (orderId is not null)
        {
            props.Add(("orderId", PropertyValue.Of(orderId)));
        }

        return Make(id, customer, EventTypes.OrderRefunded, at, [.. props]);
    }

    public static CustomerEvent Identify(string id, string customer, DateTimeOffset at, params (string Name, string Value)[] traits) =>
        Make(id, customer, EventTypes.Identify, at, [.. traits.Select(t => (t.Name, PropertyValue.Of(t.Value)))]);

    public static CustomerEvent Make(string id, string customer, string type, DateTimeOffset at, params (string Name, PropertyValue Value)[] properties) =>
        new(id, customer, type, at, EventProperties.From(properties.ToImmutableDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)));
}
