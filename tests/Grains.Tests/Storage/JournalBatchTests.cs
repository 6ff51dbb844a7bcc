using System.Collections.Immutable;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Segments;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Tests.Storage;

/// <summary>
/// What a batch of journal writes stores when committed set-at-a-time: the same rows as running the writes one by
/// one. A script is the batch's writes in order: <c>ann+vip</c> ann joins vip, <c>ann-vip</c> she leaves it,
/// <c>ann!</c> she is erased, <c>ann@5</c> her deadline becomes day 5, <c>ann@-</c> it is cleared, <c>ann#</c> she
/// is registered, <c>ann^</c> she leaves the index (merged into another), <c>ann~</c> her journal is trimmed.
/// </summary>
public sealed class JournalBatchTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("ann+vip", "ann+vip")]
    [InlineData("ann+vip ann-vip", "ann-vip")]
    [InlineData("ann-vip ann+vip", "ann+vip")]
    [InlineData("ann+vip ann-vip ann+vip", "ann+vip")]
    [InlineData("ann+vip bob+vip ann-vip", "ann-vip bob+vip")]
    [InlineData("ann+vip ann+new ann-vip", "ann+new ann-vip")]
    [InlineData("ann+vip ann! bob+vip", "bob+vip")]
    [InlineData("ann+vip ann-new ann! ann+vip", "ann+vip")]
    [InlineData("bob+vip ann+vip ann! ", "bob+vip")]
    public void Stores_each_member_rows_last_decision_and_nothing_an_erasure_came_after(string script, string stored)
    {
        var batch = new JournalBatch(Writes(script));

        Assert.Equal(Tokens(stored), batch.Members.Values.Select(m => $"{m.Customer}{(m.Row.IsMember ? '+' : '-')}{m.Row.SegmentId}").Order(StringComparer.Ordinal).ToArray());
        Assert.All(batch.Members, m => Assert.Equal((m.Key.Store, m.Key.Customer, m.Key.SegmentUid), (m.Value.Store, m.Value.Customer, m.Value.Row.SegmentUid)));
    }

    [Theory]
    [InlineData("ann@5", "ann@5")]
    [InlineData("ann@5 ann@3", "ann@3")]
    [InlineData("ann@5 ann@-", "ann@-")]
    [InlineData("ann@- ann@7 bob@2", "ann@7 bob@2")]
    [InlineData("ann@5 ann! bob@2", "bob@2")]
    [InlineData("ann@5 ann! ann@6", "ann@6")]
    public void Stores_each_customers_last_deadline(string script, string stored)
    {
        var batch = new JournalBatch(Writes(script));

        Assert.Equal(Tokens(stored), batch.Deadlines.Select(d => $"{d.Key.Customer}@{(d.Value.Due is { } due ? (due - Day0).Days.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}").Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("ann#", "ann")]
    [InlineData("ann# ann# bob# ann#", "ann bob")]
    [InlineData("bob# ann# bob#", "bob ann")]
    [InlineData("ann# ann!", "")]
    [InlineData("ann# ann! ann#", "ann")]
    public void Registers_each_customer_once_in_the_order_first_asked(string script, string registered)
    {
        var batch = new JournalBatch(Writes(script));

        Assert.Equal(Tokens(registered), batch.Registers.Select(r => r.Customer).ToArray());
    }

    [Theory]
    [InlineData("ann^", "", "ann")]
    [InlineData("ann# ann^", "", "ann")]
    [InlineData("ann^ ann#", "ann", "")]
    [InlineData("ann# bob^ ann^ bob^", "", "bob ann")]
    [InlineData("ann# ann^ ann#", "ann", "")]
    public void A_customer_leaves_or_joins_the_index_as_its_last_write_in_the_batch_says(string script, string registered, string unregistered)
    {
        var batch = new JournalBatch(Writes(script));

        Assert.Equal(Tokens(registered), batch.Registers.Select(r => r.Customer).ToArray());
        Assert.Equal(Tokens(unregistered), batch.Unregisters.Select(r => r.Customer).ToArray());
    }

    [Theory]
    [InlineData("ann+vip ann~ bob+vip ann@3 bob!", new[] { 0, 2, 4 }, "bob")]
    [InlineData("ann~ bob~", new int[0], "")]
    [InlineData("ann! bob! ann+vip", new[] { 0, 1, 2 }, "ann bob")]
    public void Appends_every_entry_in_batch_order_and_erases_first(string script, int[] appends, string erased)
    {
        var batch = new JournalBatch(Writes(script));

        Assert.Equal(appends, batch.Appends.ToArray());
        Assert.Equal(Tokens(erased), batch.Erased.Select(e => e.Customer).ToArray());
    }

    [Fact]
    public void Keeps_every_trim_in_batch_order()
    {
        var writes = Writes("ann~ bob+vip ann~");

        Assert.Equal([writes[0], writes[2]], new JournalBatch(writes).Trims);
    }

    [Fact]
    public void Keeps_stores_apart()
    {
        var vip = Uid("vip");
        var writes = new[] { Member("s1", "ann", vip, true), Member("s2", "ann", vip, false), Member("s1", "ann", vip, false) };

        var members = new JournalBatch(writes).Members;

        Assert.Equal([("s1", false), ("s2", false)], members.Values.Select(m => (m.Store, m.Row.IsMember)).Order());
    }

    private static string[] Tokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static List<JournalWrite> Writes(string script) => [.. Tokens(script).Select(Write)];

    private static JournalWrite Write(string token)
    {
        var at = token.IndexOfAny(['+', '-', '!', '@', '#', '^', '~']);
        var (customer, op, arg) = (token[..at], token[at], token[(at + 1)..]);
        return op switch
        {
            '+' or '-' => Member("s", customer, Uid(arg), op == '+', arg),
            '!' => new JournalWrite("s", customer, new JournalRecord([], [], Erased: true)),
            '@' => new JournalWrite("s", customer, null, Deadline: new DeadlineChange(1, arg == "-" ? null : Day0.AddDays(int.Parse(arg, System.Globalization.CultureInfo.InvariantCulture)))),
            '#' => new JournalWrite("s", customer, new JournalRecord([], []), Register: true),
            '^' => new JournalWrite("s", customer, new JournalRecord([], []), Unregister: true),
            _ => new JournalWrite("s", customer, null, TrimThrough: 10, TrimBeforeUnixMs: 1),
        };
    }

    private static JournalWrite Member(string store, string customer, Guid uid, bool isMember, string segment = "vip") =>
        new(store, customer, new JournalRecord([], [new StoredMember(segment, uid, 0, isMember, Day0, "event:e", 0)]));

    // One version per segment name, the same in every write.
    private static Guid Uid(string segment) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(segment)));
}
