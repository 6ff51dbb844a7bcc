using System.Collections.Immutable;
using CustomerGrains.Grains.Behaviour;

namespace CustomerGrains.Grains.Customers;

/// <summary>
/// Everything the engine holds about one customer (the right of access): the view clients see; the profile fields with
/// the event that set each; the events its journal still holds, as they were sent; the recent events, orders, refunds
/// and per-type totals its state keeps (what rules read); and its membership history as far as it is held.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.CustomerExport")]
public sealed record CustomerExport(
    [property: Id(0)] CustomerView View,
    [property: Id(1)] ImmutableDictionary<string, ProfileField> Profile,
    [property: Id(2)] ImmutableArray<CustomerEvent> JournalEvents,
    [property: Id(3)] ImmutableArray<RetainedEvent> Recent,
    [property: Id(4)] ImmutableDictionary<string, OrderRecord> Orders,
    [property: Id(5)] ImmutableDictionary<string, RefundRecord> Refunds,
    [property: Id(6)] ImmutableDictionary<string, long> TypeTotals,
    [property: Id(7)] ImmutableDictionary<string, ImmutableArray<DayTotal>> Daily,
    [property: Id(8)] DateTimeOffset? EvictedThrough,
    [property: Id(9)] ImmutableArray<HistoryItem> History,
    [property: Id(10)] DateTimeOffset HistoryHeldSince);
