using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Classification;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Segments;

namespace CustomerGrains.Grains.Tests.Customers;

/// <summary>
/// A customer touching every part of <see cref="CustomerState"/>, and a description of a state that does not
/// depend on how it is held in memory: what <c>SnapshotCompatibilityTests</c> compares.
/// Self-contained (no other test helpers), so that the program that captured the stored snapshot could compile it.
/// </summary>
internal static class SnapshotCustomer
{
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static readonly BehaviourOptions Options = new() { RetentionDays = 60, MaxRetainedEvents = 30, BucketDays = 90 };

    public static CustomerState Build()
    {
        var state = new CustomerState();
        foreach (var e in Events())
        {
            CustomerBehaviour.Apply(state, e);
        }

        CustomerBehaviour.Prune(state, Now, Options);
        var uid = new Guid("6f1c2b8e-9a0d-4c3e-8b7a-1d2e3f405162");
        state.Memberships["s1:1"] = new Membership(uid, Now.AddDays(-2), "event:e7");
        state.Outbox["s1:1"] = new MembershipChange("c", uid, true, Now.AddDays(-2), "event:e7");
        state.Outbox["s2:3"] = new MembershipChange("c", new Guid("0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9"), false, Now.AddDays(-1), "deadline:x");
        state.Registered = true;
        state.JournalSeq = 42;
        state.ReportedStats = CustomerStats.Of(state.Orders.Count, CustomerBehaviour.Revenue(state), Now.AddDays(-3));
        return state;
    }

    /// <summary>70 events over 100 days: visits, views with text / number / bool / list properties, orders, refunds, identifies, a custom type, a resend.</summary>
    public static IEnumerable<CustomerEvent> Events()
    {
        string[] categories = ["shoes", "shirts", "bags"];
        for (var i = 0; i < 70; i++)
        {
            var at = Now.AddDays(-100 + (i * 1.43)).AddMinutes(i * 7);
            var id = string.Create(CultureInfo.InvariantCulture, $"e{i}");
            var (type, properties) = (i % 10) switch
            {
                0 or 1 or 2 => (EventTypes.Visit, Props()),
                3 or 4 => (EventTypes.ProductViewed, Props(
                    ("category", PropertyValue.Of(categories[i % 3])),
                    ("price", PropertyValue.Of(9.5 + i)),
                    ("inStock", PropertyValue.Of(i % 4 == 0)),
                    ("tags", PropertyValue.Of(["new", string.Create(CultureInfo.InvariantCulture, $"t{i % 5}")])))),
                5 => (EventTypes.OrderCompleted, Props(
                    ("revenue", PropertyValue.Of(20.25 * i)),
                    ("orderId", PropertyValue.Of(string.Create(CultureInfo.InvariantCulture, $"o{i / 20}"))),
                    ("currency", PropertyValue.Of("EUR")))),
                6 => (EventTypes.OrderRefunded, i % 20 == 6
                    ? Props(("orderId", PropertyValue.Of("o0")))
                    : Props(("amount", PropertyValue.Of("12.5")), ("orderId", PropertyValue.Of("o1")))),
                7 => (EventTypes.Identify, Props(
                    ("country", PropertyValue.Of(i % 20 == 7 ? "ES" : "DE")),
                    ("firstName", PropertyValue.Of("Ana")),
                    ("interests", PropertyValue.Of(["running", "books"])),
                    ("vip", PropertyValue.Of(i > 50)),
                    ("score", PropertyValue.Of(i)),
                    ("nickname", PropertyValue.Null))),
                8 => ("wishlist_added", Props(("sku", PropertyValue.Of(string.Create(CultureInfo.InvariantCulture, $"sku-{i}"))))),
                _ => (EventTypes.CartAdded, Props(("revenue", PropertyValue.Of(i)))),
            };
            yield return new CustomerEvent(id, "c", type, at, properties);
        }

        // A retry of an event already applied: must not count twice.
        yield return new CustomerEvent("e5", "c", EventTypes.OrderCompleted, Now.AddDays(-1), Props(("revenue", PropertyValue.Of(999))));
    }

    /// <summary>Every field of the state, in a fixed order, as text.</summary>
    public static string Describe(CustomerState s)
    {
        var b = new StringBuilder();
        b.AppendLine(Invariant($"count {s.EventCount} first {s.FirstSeen:O} last {s.LastSeen:O} evicted {s.EvictedThrough:O} registered {s.Registered} seq {s.JournalSeq} stats {s.ReportedStats}"));
        foreach (var (name, field) in s.Profile.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            b.AppendLine(Invariant($"profile {name} = {Value(field.Value)} at {field.SetAt:O} by {field.SetBy}"));
        }

        foreach (var e in s.Recent)
        {
            var properties = string.Join(", ", e.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Value(p.Value)}"));
            b.AppendLine(Invariant($"event #{e.Fingerprint} {e.Type} {e.Timestamp:O} {{{properties}}}"));
        }

        b.AppendLine("seen " + string.Join(",", s.SeenIds.Order()));
        foreach (var (id, order) in s.Orders.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            b.AppendLine(Invariant($"order {id} {order.Revenue:R} {order.At:O} {order.EventId}"));
        }

        foreach (var (id, refund) in s.Refunds.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            b.AppendLine(Invariant($"refund {id} {refund.OrderId} {refund.Amount:R} {refund.At:O}"));
        }

        foreach (var (type, total) in s.TypeTotals.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            b.AppendLine(Invariant($"total {type} {total}"));
        }

        foreach (var (type, day, count, revenue) in DailyBuckets(s))
        {
            b.AppendLine(Invariant($"day {type} {day} {count} {revenue:R}"));
        }

        foreach (var (key, m) in s.Memberships.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            b.AppendLine(Invariant($"member {key} {m.SegmentUid} {m.EnteredAt:O} {m.Cause}"));
        }

        foreach (var (key, c) in s.Outbox.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            b.AppendLine(Invariant($"outbox {key} {c.CustomerId} {c.SegmentUid} {c.IsMember} {c.EnteredAt:O} {c.Cause}"));
        }

        return b.ToString();
    }

    private static IEnumerable<(string Type, int Day, long Count, double Revenue)> DailyBuckets(CustomerState s) =>
        from byType in s.Daily.OrderBy(d => d.Key, StringComparer.Ordinal)
        from day in byType.Value.OrderBy(d => d.Day)
        select (byType.Key, day.Day, day.Count, day.Revenue);

    private static string Value(PropertyValue v) => v.Kind switch
    {
        PropertyKind.List => "[" + string.Join("|", v.Items.IsDefault ? [] : v.Items) + "]",
        _ => Invariant($"{v.Kind}:{v.Number:R}:{v.Text}"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static EventProperties Props(params (string Name, PropertyValue Value)[] properties) =>
        EventProperties.From(properties.ToImmutableDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));
}
