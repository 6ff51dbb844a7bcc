using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;
using CustomerGrains.Grains.Models;
using CustomerGrains.Grains.Prediction;
using CustomerGrains.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static CustomerGrains.Api.Tests.Infrastructure.ApiFixture;

namespace CustomerGrains.Api.Tests;

/// <summary>The cluster shape: silo processes and a client-mode Api on a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrations_apply_once_however_often_and_however_concurrently_they_run()
    {
        var database = await postgres.CreateDatabaseAsync();
        var scripts = SchemaMigrator.Scripts(DatabaseKind.PostgreSql).Count;

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            SchemaMigrator.ApplyAsync(DatabaseKind.PostgreSql, database, TimeProvider.System, NullLogger.Instance, CancellationToken.None)));
        var again = await SchemaMigrator.ApplyAsync(DatabaseKind.PostgreSql, database, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(scripts, concurrent.Sum());
        Assert.Equal(0, again);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM OrleansQuery", connection);
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 20);
    }

    [Fact]
    public async Task A_silos_copy_of_the_purchase_index_misses_no_commit_even_one_that_ends_after_a_later_one()
    {
        var database = new StoreDatabase(DatabaseKind.PostgreSql, await postgres.CreateDatabaseAsync());
        await SchemaMigrator.ApplyAsync(DatabaseKind.PostgreSql, database.ConnectionString, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        var committer = new PostgresJournalCommitter(database);
        var index = new PurchaseIndex(new PurchaseRowReader(database));
        static PurchaseRow Row(int day, double revenue) => new(PurchaseDayCodec.Encode([new PurchaseDay(day, revenue)]), 1, revenue);
        Task<string[]> BuyersAsync() => index.ReadAsync("s", buyers => buyers.Keys.Order(StringComparer.Ordinal).ToArray());

        await committer.CommitAsync([new JournalWrite("s", "a", null, Purchases: Row(20000, 10))], 0);
        Assert.Equal(["a"], await BuyersAsync());

        // Another silo's commit starts (its transaction is older), a later one commits first and is read; then the older
        // one commits: the next read has it, as it has a's new days.
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var older = await connection.BeginTransactionAsync();
        await using (var write = new NpgsqlCommand(
            "INSERT INTO cg_purchases (store, customer_id, days, orders, revenue, changed) VALUES ('s', 'b', @days, 1, 5, pg_current_xact_id()::text::bigint)",
            connection, older))
        {
            write.Parameters.AddWithValue("days", Row(20001, 5).Days);
            await write.ExecuteNonQueryAsync();
        }

        // Rows of days (as written before migration 9) and of orders (since) in one commit: both read back.
        var orders = PurchaseSummaries.Orders([(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), 12), (new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero), 3)]);
        await committer.CommitAsync(
            [
                new JournalWrite("s", "c", null, Purchases: Row(20002, 7)), new JournalWrite("s", "a", null, Purchases: Row(20003, 30)),
                new JournalWrite("s", "d", null, Purchases: PurchaseRow.OfOrders(PurchaseOrderCodec.Encode(orders), 2, 15)),
            ], 0);
        Assert.Equal(["a", "c", "d"], await BuyersAsync());
        await older.CommitAsync();
        Assert.Equal(["a", "b", "c", "d"], await BuyersAsync());
        Assert.Equal(20003, (await index.ReadAsync("s", buyers => buyers["a"].Days))[0].Day);
        var (a, d) = await index.ReadAsync("s", buyers => (buyers["a"].Purchases, buyers["d"].Purchases));
        Assert.Null(a.Orders);
        Assert.Equal(orders, d.Orders);
        Assert.Equal([new PurchaseDay(orders[0].Day, 15)], d.Days);

        // A row that goes (its customer has no orders left, or is erased): the copy is read again whole.
        await committer.CommitAsync([new JournalWrite("s", "c", null, Purchases: new PurchaseRow([], 0, 0))], 0);
        Assert.Equal(["a", "b", "d"], await BuyersAsync());
    }

    [Fact]
    public async Task State_survives_a_silo_crash_and_the_Api_answers_503_while_no_silo_is_up()
    {
        await using var one = await OneSilo.StartAsync(postgres);
        var (database, cluster, silo, client) = (one.Database, one.SiloSettings, one.Silo, one.Client);

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/stores/shop-a/segments",
            JsonBody("""{"id": "buyers", "name": "Buyers", "rule": "orders >= 1 and revenue > 10"}"""))).StatusCode);
        var events = string.Join(",", Enumerable.Range(0, 40).Select(i =>
            $$$"""{"id": "o-{{{i}}}", "customerId": "c{{{i % 20}}}", "type": "order_completed", "timestamp": "2026-11-20T10:00:00Z", "properties": {"revenue": {{{i}}}}}"""));
        Assert.Equal("""{"accepted":40,"duplicates":0}""", await (await client.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{events}]"))).Content.ReadAsStringAsync());
        var before = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/segments/buyers/count");

        await silo.KillAsync();
        var down = await client.GetAsync("/v1/stores/shop-a/segments/buyers/count");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.True(down.Headers.RetryAfter is not null);

        await using var restarted = HostProcess.Silo(cluster);
        await restarted.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage response;
        while ((response = await client.GetAsync("/v1/stores/shop-a/segments/buyers/count")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the Api did not recover: {response.StatusCode}");
            await Task.Delay(100);
        }

        var after = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(before.GetProperty("count").GetInt64(), after.GetProperty("count").GetInt64());
        Assert.Equal(20, after.GetProperty("count").GetInt64());
        var customer = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/customers/c19");
        Assert.Equal(19 + 39, customer.GetProperty("traits").GetProperty("revenue").GetDouble());
        var retried = await client.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{events}]"));
        Assert.Equal("""{"accepted":0,"duplicates":40}""", await retried.Content.ReadAsStringAsync());

        // The purchase index lives in PostgreSQL too, written in the same commits: rankings read it (after the crash, what
        // was committed; c{k} spent k + (k + 20)), paged within a segment, and a fit reads it.
        var top = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/rankings?by=revenue&limit=2&segment=buyers");
        Assert.Equal(["c19", "c18"], top.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customerId").GetString()));
        var next = await client.GetFromJsonAsync<JsonElement>(
            $"/v1/stores/shop-a/rankings?by=revenue&limit=2&segment=buyers&cursor={top.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["c17", "c16"], next.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customerId").GetString()));
        Assert.Equal(54, next.GetProperty("items")[0].GetProperty("value").GetDouble());
        // The change feed reads the same journal on PostgreSQL: the 20 joins, once each, across the crash.
        var changes = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/changes?segment=buyers&limit=100");
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"c{i}").Order(StringComparer.Ordinal),
            changes.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("customerId").GetString()).Order(StringComparer.Ordinal));
        Assert.All(changes.GetProperty("items").EnumerateArray(), c => Assert.Equal("entered", c.GetProperty("kind").GetString()));
        var more = await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/changes?segment=buyers&after={changes.GetProperty("next").GetString()}");
        Assert.Empty(more.GetProperty("items").EnumerateArray());
        var fit = await (await client.PostAsync("/v1/stores/shop-a/models/fit", JsonBody("{}"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("too_little_data", fit.GetProperty("status").GetString());
        Assert.Equal(20, fit.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task A_busy_customers_concurrent_requests_leaves_deadlines_and_erasure_are_stored_as_decided()
    {
        // Snapshots every 4 entries, covered entries removed at once: the trims go through the batch too.
        await using var one = await OneSilo.StartAsync(postgres, ("CustomerGrains__Journal__SnapshotEvery", "4"), ("CustomerGrains__Journal__Retention", "00:00:00"));
        var (database, cluster, silo, client) = (one.Database, one.SiloSettings, one.Silo, one.Client);
        foreach (var (id, rule) in new[] { ("buyers", "orders >= 1 and revenue > 0"), ("fresh", "count(visit, 7d) >= 1"), ("many", "count(visit, 30d) >= 30") })
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/v1/stores/shop-a/segments", JsonBody($$"""{"id": "{{id}}", "rule": "{{rule}}"}"""))).StatusCode);
        }

        // Forty requests for one customer at once: they queue behind each other's commits and share batches.
        // The order and its refund make "buyers" join and leave; the visits bring a deadline and "many".
        var now = DateTimeOffset.UtcNow;
        string Visit(int i) => $$"""{"id": "v{{i}}", "customerId": "busy", "type": "visit", "timestamp": "{{now.AddMinutes(-i):O}}"}""";
        var bodies = Enumerable.Range(0, 40).Select(i => i switch
        {
            0 => $$$"""[{{{Visit(i)}}}, {"id": "o1", "customerId": "busy", "type": "order_completed", "timestamp": "{{{now.AddHours(-2):O}}}", "properties": {"revenue": 20, "orderId": "A1"}}]""",
            20 => $$$"""[{{{Visit(i)}}}, {"id": "r1", "customerId": "busy", "type": "order_refunded", "timestamp": "{{{now.AddHours(-1):O}}}", "properties": {"orderId": "A1"}}]""",
            _ => $"[{Visit(i)}, {Visit(100 + i).Replace("\"busy\"", $"\"other-{i}\"", StringComparison.Ordinal)}]",
        });
        var answers = await Task.WhenAll(bodies.Select(b => client.PostAsync("/v1/stores/shop-a/events", JsonBody(b))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        async Task<long> CountAsync(string segment) =>
            (await client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/segments/{segment}/count")).GetProperty("count").GetInt64();
        async Task<long> RowsAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        Assert.Equal(0, await CountAsync("buyers"));
        Assert.Equal(39, await CountAsync("fresh"));
        Assert.Equal(1, await CountAsync("many"));
        var reconcile = await (await client.PostAsync("/v1/stores/shop-a/reconcile", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(reconcile.GetProperty("consistent").GetBoolean(), reconcile.ToString());
        Assert.Equal(0, await RowsAsync("SELECT count(*) FROM cg_members WHERE customer_id = 'busy' AND segment = 'buyers' AND is_member"));
        Assert.Equal(1, await RowsAsync("SELECT count(*) FROM cg_deadlines WHERE customer_id = 'busy'"));
        Assert.Equal(39, await RowsAsync("SELECT count(*) FROM cg_customers"));

        // Snapshots run behind the requests: wait for one to have trimmed what it covers (40 entries were written).
        var trimmedBy = DateTime.UtcNow.AddSeconds(30);
        while (await RowsAsync("SELECT count(*) FROM cg_journal WHERE customer_id = 'busy'") >= 40)
        {
            Assert.True(DateTime.UtcNow < trimmedBy, "no snapshot trimmed the busy customer's journal");
            await Task.Delay(100);
        }

        // What the shards and the view show came from committed rows: a crashed and restarted silo shows the same.
        await silo.KillAsync();
        await using var restarted = HostProcess.Silo(cluster);
        await restarted.StartAsync();
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((await client.GetAsync("/v1/stores/shop-a/segments/many/count")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < until, "the cluster did not come back");
            await Task.Delay(100);
        }

        var busy = await client.GetFromJsonAsync<JsonElement>("/v1/stores/shop-a/customers/busy");
        Assert.Equal(42, busy.GetProperty("traits").GetProperty("events").GetInt64());
        Assert.Equal(1, await CountAsync("many"));
        Assert.Equal(39, await CountAsync("fresh"));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/stores/shop-a/customers/busy")).StatusCode);
        Assert.Equal(0, await CountAsync("many"));
        Assert.Equal(38, await CountAsync("fresh"));
        // No member rows, tombstones included, and no directory entry (see CustomerTables); what names its segments is the
        // erasure's own journal entry, for the change feed's retention (its deadline then drops them).
        foreach (var table in new[] { "cg_members", "cg_customers" })
        {
            Assert.Equal(0, await RowsAsync($"SELECT count(*) FROM {table} WHERE customer_id = 'busy'"));
        }
    }

    [Fact]
    public async Task Customers_who_take_one_e_mail_become_one_and_the_key_goes_with_an_erasure()
    {
        await using var one = await OneSilo.StartAsync(postgres);
        var (database, client) = (one.Database, one.Client);
        async Task<long> RowsAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        // Four sign-ups at once, two of them in one request: one customer holds the e-mail, the others merge into it.
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        string Identify(string id, string email) =>
            $$"""{"id": "i-{{id}}", "customerId": "{{id}}", "type": "identify", "timestamp": "{{at:O}}", "properties": {"email": "{{email}}"} }""";
        var answers = await Task.WhenAll(
            new[] { $"[{Identify("a", "Sam@Example.com")}]", $"[{Identify("b", "sam@example.com")}, {Identify("c", " SAM@example.com")}]", $"[{Identify("d", "sam@example.com")}]" }
                .Select(body => client.PostAsync("/v1/stores/shop-a/events", JsonBody(body))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        var views = await Task.WhenAll(new[] { "a", "b", "c", "d" }.Select(id => client.GetFromJsonAsync<JsonElement>($"/v1/stores/shop-a/customers/{id}")));
        var primary = Assert.Single(views.Select(v => v.GetProperty("customerId").GetString()).Distinct());
        Assert.Equal(3, views[0].GetProperty("mergedIds").GetArrayLength());
        Assert.Equal(1, await RowsAsync($"SELECT count(*) FROM cg_identity_keys WHERE customer_id = '{primary}'"));

        // A new e-mail lets the old one go; an erasure takes the customer's keys with it.
        var changed = await client.PostAsync("/v1/stores/shop-a/events", JsonBody($"[{Identify(primary!, "sam.new@example.com").Replace($"i-{primary}", "i-new", StringComparison.Ordinal)}]"));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(1, await RowsAsync("SELECT count(*) FROM cg_identity_keys"));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/stores/shop-a/customers/{primary}")).StatusCode);
        Assert.Equal(0, await RowsAsync("SELECT count(*) FROM cg_identity_keys"));
    }

    /// <summary>One silo and a client-mode Api on a database of their own, and an admin client of store shop-a.</summary>
    private sealed class OneSilo : IAsyncDisposable
    {
        private HostProcess _api = null!;

        public string Database { get; private init; } = "";

        /// <summary>What a silo of this cluster is started with (a restarted one too).</summary>
        public Dictionary<string, string> SiloSettings { get; private init; } = [];

        /// <summary>The first silo; a test that kills it starts the next itself.</summary>
        public HostProcess Silo { get; private init; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public static async Task<OneSilo> StartAsync(PostgresFixture postgres, params (string Key, string Value)[] silo)
        {
            var database = await postgres.CreateDatabaseAsync();
            var settings = new Dictionary<string, string>
            {
                ["CustomerGrains__PostgreSql"] = database,
                ["CustomerGrains__ClusterId"] = "test",
                ["CustomerGrains__SiloPort"] = HostProcess.FreePortText(),
                ["CustomerGrains__GatewayPort"] = HostProcess.FreePortText(),
            };
            foreach (var (key, value) in silo)
            {
                settings[key] = value;
            }

            var one = new OneSilo { Database = database, SiloSettings = settings, Silo = HostProcess.Silo(settings) };
            await one.Silo.StartAsync();
            one._api = HostProcess.ClusterClient(new Dictionary<string, string>(Keys) { ["CustomerGrains__PostgreSql"] = database, ["CustomerGrains__ClusterId"] = "test" });
            await one._api.StartAsync();
            one.Client = one._api.Client(AdminA);
            return one;
        }

        public async ValueTask DisposeAsync()
        {
            Client?.Dispose();
            await _api.DisposeAsync();
            await Silo.DisposeAsync();
        }
    }
}
