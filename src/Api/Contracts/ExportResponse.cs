using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;

namespace CustomerGrains.Api.Contracts;

/// <summary>
/// <c>GET …/customers/{id}/export</c>: everything held about one person, as one document. <c>customer</c> is what
/// <c>GET …/customers/{id}</c> shows; <c>profileFields</c> say which event set each trait and when; <c>events</c> are
/// the events the journal still holds, as they were sent; <c>recentEvents</c>, <c>orders</c>, <c>refunds</c>,
/// <c>eventTotals</c> and <c>dailyTotals</c> are what the customer's state keeps (what rules read; recent events keep no
/// id); <c>history</c> is every entry to and exit from a segment held (since <c>historyHeldSince</c>), newest first.
/// </summary>
public sealed record ExportResponse(
    DateTimeOffset ExportedAt,
    CustomerResponse Customer,
    IReadOnlyList<ExportedProfileField> ProfileFields,
    IReadOnlyList<ExportedEvent> Events,
    IReadOnlyList<ExportedEvent> RecentEvents,
    IReadOnlyList<ExportedOrder> Orders,
    IReadOnlyList<ExportedRefund> Refunds,
    IReadOnlyDictionary<string, long> EventTotals,
    IReadOnlyList<ExportedDayTotal> DailyTotals,
    DateTimeOffset? DetailEvictedThrough,
    IReadOnlyList<HistoryItemResponse> History,
    DateTimeOffset HistoryHeldSince)
{
    public static ExportResponse From(CustomerExport export, DateTimeOffset now) => new(
        now,
        CustomerResponse.From(export.View),
        [.. export.Profile.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ExportedProfileField(p.Key, p.Value.Value.ToPlain(), p.Value.SetAt, p.Value.SetBy))],
        [.. export.JournalEvents.Select(e => new ExportedEvent(e.Id, e.Type, e.Timestamp, Plain(e.Properties)))],
        [.. export.Recent.Select(e => new ExportedEvent(null, e.Type, e.Timestamp, Plain(e.Properties)))],
        [.. export.Orders.OrderBy(o => o.Value.At).Select(o => new ExportedOrder(o.Key, o.Value.EventId, o.Value.Revenue, o.Value.At))],
        [.. export.Refunds.OrderBy(r => r.Value.At).Select(r => new ExportedRefund(r.Key, r.Value.OrderId, r.Value.Amount, r.Value.At))],
        export.TypeTotals.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value),
        [.. export.Daily.OrderBy(d => d.Key, StringComparer.Ordinal).SelectMany(d => d.Value.Select(t =>
            new ExportedDayTotal(d.Key, DateOnly.FromDayNumber(t.Day), t.Count, t.Revenue)))],
        export.EvictedThrough,
        [.. export.History.Select(HistoryItemResponse.From)],
        export.HistoryHeldSince);

    private static Dictionary<string, object?> Plain(EventProperties properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value.ToPlain(), StringComparer.Ordinal);
}

/// <summary>A profile trait, the instant of the event that set it and that event's id.</summary>
public sealed record ExportedProfileField(string Name, object? Value, DateTimeOffset SetAt, string SetBy);

/// <summary>An event: its id (null for the state's recent events, which keep none), type, time and properties.</summary>
public sealed record ExportedEvent(string? Id, string Type, DateTimeOffset Timestamp, IReadOnlyDictionary<string, object?> Properties);

/// <summary>An order: its order id, the event that reported it, its revenue and time.</summary>
public sealed record ExportedOrder(string OrderId, string EventId, double Revenue, DateTimeOffset At);

/// <summary>A refund: the refund event's id, the order it refunds (if named), the amount (null: the whole order), its time.</summary>
public sealed record ExportedRefund(string EventId, string? OrderId, double? Amount, DateTimeOffset At);

/// <summary>One UTC day's count (and revenue, for orders) of one event type.</summary>
public sealed record ExportedDayTotal(string Type, DateOnly Day, long Count, double Revenue);
