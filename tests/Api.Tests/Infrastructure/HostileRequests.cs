using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>One request the fuzzer sends; <see cref="Authorization"/> null means the store's admin key.</summary>
/// <param name="MustReject">Built with a known fault: anything but a 4xx is a bug.</param>
/// <param name="Mutates">A write route: if it is accepted, the store may legitimately change.</param>
internal sealed record HostileRequest(
    string Name,
    HttpMethod Method,
    string Path,
    byte[]? Body = null,
    string? ContentType = "application/json",
    string? ContentEncoding = null,
    string? Authorization = null,
    bool MustReject = false,
    bool Mutates = false)
{
    public string Show()
    {
        var body = Body is null ? "(none)" : Escape(Body);
        return $"{Name}: {Method} {Escape(Encoding.UTF8.GetBytes(Path))} [{ContentType}; {ContentEncoding ?? "identity"}; auth {Authorization ?? "default"}]\n      body: {body}";
    }

    /// <summary>Printable ASCII as is, everything else as \xNN, cut to a readable length.</summary>
    public static string Escape(byte[] bytes)
    {
        var builder = new StringBuilder();
        foreach (var b in bytes.Take(600))
        {
            builder.Append(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"));
        }

        return bytes.Length > 600 ? $"{builder}… ({bytes.Length} bytes)" : builder.ToString();
    }
}

/// <summary>
/// Seeded hostile requests for every route: known faults injected into valid requests (each must be a 4xx),
/// byte- and token-level mutations of valid samples (flip, truncate, duplicate, splice, change a value's type;
/// any status but a 5xx is fine), hostile ids, paths, queries, keys, encodings and gzip bodies.
/// </summary>
internal sealed class HostileRequests(int seed, string store, DateTimeOffset now)
{
    public const string GhostPrefix = "ghost-";

    private static readonly string[] BadIds =
    [
        "\"\"", "\" x\"", "\"x \"", "\"a\\u0000b\"", "\"\\u0007\"", "\"a\\ud800\"", "\"\\udc00a\"", $"\"{new string('a', 129)}\"",
        $"\"{new string('a', 5000)}\"", "7", "true", "null", "[]", "{}", "\"\\n\"", "1e999",
    ];

    private static readonly string[] BadTypes =
    [
        "\"Page View\"", "\"\"", "\"VISIT\"", "\"9x\"", $"\"{new string('a', 65)}\"", "\"visit; DROP TABLE cg_customers\"",
        "\"../visit\"", "\"visit\\u0000\"", "1", "null", "[\"visit\"]",
    ];

    private static readonly string[] BadTimestamps =
    [
        "\"1900-01-01T00:00:00Z\"", "\"1989-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
        "\"2099-01-01T00:00:00Z\"", "\"+275760-09-13T00:00:00Z\"", "\"2026-02-30T00:00:00Z\"", "\"2026-13-01T00:00:00Z\"",
        "\"2026-11-20T25:00:00Z\"", "\"2026-11-20T10:00:00+25:00\"", "\"2026-11-20T10:00:00\"", "\"2026-11-20\"", "\"soon\"",
        "\"\"", "1700000000", "\"2026-11-20T23:59:60Z\"", "\"\\ud800\"", "\"0000-01-01T00:00:00Z\"", "\"2026-11-20T10:00:00.12345678Z\"",
    ];

    private static readonly string[] BadProperties =
    [
        "[]", "\"x\"", "1", "{\"a\": {\"b\": 1}}", "{\"a\": 1e999}", "{\"a\": -1e999}", "{\"bad name\": 1}", "{\"a\": \"\\u0000\"}",
        $"{{\"a\": \"{new string('x', 4097)}\"}}", "{" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"p{i}\": 1")) + "}",
        "{\"a\": [1]}", "{\"a\": [" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"{i}\"")) + "]}", "{\"a\": \"\\udfff\"}",
        "{\"\\ud800\": 1}", "{\"a\": [\"\\u0001\"]}", "{\"../x\": 1}", "{\"a\": 1e400}",
    ];

    private static readonly string[] InvalidJson =
    [
        "NaN", "Infinity", "-Infinity", "undefined", "'x'", "[1,]", "{\"a\":1,}", "/* c */ []", "[", "]", "{", "\"unterminated",
        "[\"\\x\"]", "[01]", "[1.]", "[.5]", "[+1]", "[0x10]", "[true false]", "[\"a\" \"b\"]", "nul", "tru", "[1e]", "\u0000",
    ];

    /// <summary>Values the generic mutations put in place of a string or number, each of another type or range.</summary>
    private static readonly string[] Replacements =
    [
        "NaN", "Infinity", "1e999", "-1e999", "1e-999", "-0", "123456789012345678901234567890", "0.1e400", "null", "true", "[]", "{}",
        "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"'; DROP TABLE cg_customers; --\"", "\"../../etc/passwd\"", "\"%00\"", "\"a/b\"",
        $"\"{new string('x', 5000)}\"", "-1", "0", "2147483648", "9223372036854775808", "[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]",
        "\"1900-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"\u202e\"", "\"💥\"",
    ];

    private static readonly byte[][] BadUtf8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]];

    private static readonly byte[] InterestingBytes = [.. "\"{}[],:\\-.e0"u8, 0x00, 0x7f, 0x80, 0xff];

    private readonly Random _random = new(seed);

    private int _serial;

    public int Seed { get; } = seed;

    private string Recent => now.AddDays(-2).AddHours(-7).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private string Events => $"/v1/stores/{store}/events";

    private string Segments => $"/v1/stores/{store}/segments";

    /// <summary>Valid bodies, one per write route, that the mutations start from.</summary>
    private IEnumerable<(string Route, HttpMethod Method, string Path, string Body)> Samples()
    {
        yield return ("events", HttpMethod.Post, Events, $"[{Event("visit", "{\"page\": \"/home\"}")}, {Event("order_completed", "{\"revenue\": 40, \"currency\": \"EUR\", \"items\": [{\"sku\": \"s1\", \"category\": \"shoes\", \"price\": 40, \"quantity\": 1}]}")}]");
        yield return ("events", HttpMethod.Post, Events, $"[{Event("identify", "{\"email\": \"a@example.com\", \"country\": \"ES\", \"birthDate\": \"1990-05-01\", \"interests\": [\"running\"]}")}]");
        yield return ("profile", HttpMethod.Put, $"/v1/stores/{store}/customers/{Ghost()}/profile", "{\"email\": \"a@example.com\", \"firstName\": \"Ana\", \"country\": \"MX\", \"interests\": [\"yoga\"]}");
        yield return ("segment create", HttpMethod.Post, Segments, $"{{\"id\": \"fz-{Serial()}\", \"name\": \"Fuzz\", \"description\": \"d\", \"rule\": \"orders >= 2 and count(visit, 30d) > 1\"}}");
        yield return ("segment create", HttpMethod.Post, Segments, $"{{\"id\": \"fz-{Serial()}\", \"parent\": \"buyers\", \"rule\": {{\"op\": \">\", \"left\": {{\"sum\": {{\"type\": \"order_completed\", \"property\": \"revenue\", \"window\": \"30d\"}}}}, \"right\": 10}}}}");
        yield return ("segment update", HttpMethod.Put, $"{Segments}/spain", "{\"id\": \"spain\", \"name\": \"Spain\", \"rule\": \"profile.country == \\\"ES\\\"\"}");
        yield return ("preview", HttpMethod.Post, $"{Segments}/preview", "{\"rule\": \"revenue > 10 and profile.country in [\\\"ES\\\", \\\"MX\\\"]\", \"sample\": 5}");
        yield return ("tracking batch", HttpMethod.Post, "/v1/batch", $"{{\"batch\": [{{\"type\": \"track\", \"event\": \"Order Completed\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"timestamp\": \"{Recent}\", \"properties\": {{\"total\": 12.5, \"currency\": \"eur\", \"products\": [{{\"product_id\": \"p1\", \"price\": 12.5}}]}}}}, {{\"type\": \"identify\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"traits\": {{\"email\": \"x@example.com\", \"address\": {{\"country\": \"ES\"}}}}}}], \"sentAt\": \"{Recent}\"}}");
        yield return ("tracking track", HttpMethod.Post, "/v1/track", $"{{\"event\": \"Signed Up\", \"anonymousId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"timestamp\": \"{Recent}\", \"properties\": {{\"plan\": \"pro\"}}}}");
        yield return ("tracking page", HttpMethod.Post, "/v1/page", $"{{\"name\": \"Home\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\"}}");
        yield return ("tracking alias", HttpMethod.Post, "/v1/alias", $"{{\"userId\": \"{Ghost()}\", \"previousId\": \"anon-1\", \"messageId\": \"m-{Serial()}\"}}");
        yield return ("tracking identify", HttpMethod.Post, "/v1/identify", $"{{\"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"traits\": {{\"birthday\": \"1990-01-02\", \"first_name\": \"Zoe\"}}}}");
    }

    /// <summary>Every kind of request, <paramref name="mutations"/> of them mutated from samples.</summary>
    public IEnumerable<HostileRequest> All(int mutations)
    {
        foreach (var request in InjectedEventFaults().Concat(BodyFaults()).Concat(SegmentFaults()).Concat(ClassificationFaults())
            .Concat(TrackingFaults()).Concat(PathFaults()).Concat(KeyFaults()))
        {
            yield return request;
        }

        var samples = Samples().ToList();
        for (var i = 0; i < mutations; i++)
        {
            // Fresh ids each time, so that a mutation that is accepted does not merely repeat an earlier one.
            var (route, method, path, body) = Samples().ElementAt(_random.Next(samples.Count));
            var bytes = Encoding.UTF8.GetBytes(body);
            var rounds = 1 + _random.Next(3);
            var how = new List<string>();
            for (var r = 0; r < rounds; r++)
            {
                bytes = Mutate(bytes, Encoding.UTF8.GetBytes(samples[_random.Next(samples.Count)].Body), how);
            }

            var gzip = path.StartsWith("/v1/batch", StringComparison.Ordinal) && _random.Next(3) == 0;
            yield return new HostileRequest(
                $"mutated {route} #{i} ({string.Join(", ", how)}{(gzip ? ", gzip" : "")})",
                method,
                path,
                gzip ? Gzip(bytes) : bytes,
                ContentEncoding: gzip ? "gzip" : null,
                Mutates: true);
        }
    }

    private IEnumerable<HostileRequest> InjectedEventFaults()
    {
        var fields = new (string Name, string[] Values)[]
        {
            ("id", BadIds), ("customerId", BadIds), ("type", BadTypes), ("timestamp", BadTimestamps), ("properties", BadProperties),
        };
        foreach (var (field, values) in fields)
        {
            foreach (var value in values)
            {
                var bad = EventWith(field, value);
                yield return Reject($"event {field} = {value}", HttpMethod.Post, Events, $"[{Event("visit", "{}")}, {bad}]");
            }

            if (field != "properties")
            {
                yield return Reject($"event without {field}", HttpMethod.Post, Events, $"[{EventWith(field, null)}]");
            }
        }

        foreach (var properties in new[]
        {
            "{\"revenue\": -1}", "{\"revenue\": \"10\"}", "{}", "{\"revenue\": 10, \"currency\": \"eur\"}", "{\"revenue\": 10, \"currency\": 978}",
            "{\"revenue\": 10, \"items\": [{\"price\": -1}]}", "{\"revenue\": 10, \"items\": [1]}", "{\"revenue\": 10, \"items\": [{\"quantity\": 1e999}]}",
            "{\"revenue\": 10, \"items\": [" + string.Join(",", Enumerable.Repeat("{}", 1001)) + "]}",
        })
        {
            yield return Reject($"order {properties[..Math.Min(40, properties.Length)]}", HttpMethod.Post, Events, $"[{Event("order_completed", properties)}]");
        }

        foreach (var properties in new[] { "{}", "{\"amount\": -5}", "{\"revenue\": true}" })
        {
            yield return Reject($"refund {properties}", HttpMethod.Post, Events, $"[{Event("order_refunded", properties)}]");
        }

        // Wrong JSON types only: an e-mail, birth date or country string that cannot be read is kept raw by the customer, not refused.
        foreach (var properties in new[] { "{\"birthDate\": 19900501}", "{\"interests\": \"running\"}", "{\"country\": 34}", "{\"email\": [\"a@b\"]}" })
        {
            yield return Reject($"identify {properties}", HttpMethod.Post, Events, $"[{Event("identify", properties)}]");
            yield return Reject($"profile {properties}", HttpMethod.Put, $"/v1/stores/{store}/customers/{Ghost()}/profile", properties);
        }

        yield return Reject("event with an unknown field", HttpMethod.Post, Events, $"[{Event("visit", "{}")[..^1]}, \"revenue\": 3}}]");
        yield return Reject("event that is a string", HttpMethod.Post, Events, "[\"visit\"]");
        yield return Reject("events in an object", HttpMethod.Post, Events, $"{{\"events\": [{Event("visit", "{}")}]}}");
        yield return Reject("1001 events", HttpMethod.Post, Events, "[" + string.Join(",", Enumerable.Range(0, 1001).Select(_ => Event("visit", "{}"))) + "]");
        yield return Reject("profile that is an array", HttpMethod.Put, $"/v1/stores/{store}/customers/{Ghost()}/profile", "[]");
        yield return Reject("profile with a nested object", HttpMethod.Put, $"/v1/stores/{store}/customers/{Ghost()}/profile", "{\"address\": {\"city\": \"x\"}}");
    }

    /// <summary>Bodies that are not JSON, not UTF-8, too deep, too large, or of the wrong media type.</summary>
    private IEnumerable<HostileRequest> BodyFaults()
    {
        var routes = new (string Name, HttpMethod Method, string Path)[]
        {
            ("events", HttpMethod.Post, Events), ("profile", HttpMethod.Put, $"/v1/stores/{store}/customers/{Ghost()}/profile"),
            ("segment create", HttpMethod.Post, Segments), ("segment update", HttpMethod.Put, $"{Segments}/spain"),
            ("preview", HttpMethod.Post, $"{Segments}/preview"), ("classification", HttpMethod.Put, $"/v1/stores/{store}/classification"),
            ("batch", HttpMethod.Post, "/v1/batch"), ("track", HttpMethod.Post, "/v1/track"), ("identify", HttpMethod.Post, "/v1/identify"),
        };
        var valid = $"[{Event("visit", "{}")}]";
        foreach (var (name, method, path) in routes)
        {
            foreach (var json in InvalidJson)
            {
                yield return Reject($"{name}: invalid JSON {json}", method, path, json);
            }

            foreach (var depth in new[] { 17, 100, 10_000 })
            {
                yield return Reject($"{name}: arrays {depth} deep", method, path, new string('[', depth) + new string(']', depth));
                yield return Reject($"{name}: objects {depth} deep", method, path, string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
            }

            foreach (var bad in BadUtf8)
            {
                var bytes = Encoding.UTF8.GetBytes(valid).ToList();
                bytes.InsertRange(valid.IndexOf("visit", StringComparison.Ordinal), bad);
                yield return new HostileRequest($"{name}: invalid UTF-8 {Convert.ToHexString(bad)}", method, path, [.. bytes], MustReject: true, Mutates: true);
            }

            yield return new HostileRequest($"{name}: UTF-16", method, path, Encoding.Unicode.GetBytes(valid), "application/json; charset=utf-16", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: text/plain", method, path, Encoding.UTF8.GetBytes(valid), "text/plain", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: XML", method, path, "<events/>"u8.ToArray(), "application/xml", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: form", method, path, "a=1"u8.ToArray(), "application/x-www-form-urlencoded", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: empty", method, path, [], MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: no body", method, path, null, null, MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: only whitespace", method, path, "   \r\n\t "u8.ToArray(), MustReject: true, Mutates: true);
            // Over every route's own limit, under the server's (beyond it, Kestrel answers 413 and drops the connection).
            yield return new HostileRequest($"{name}: 1 MiB and more", method, path, Encoding.UTF8.GetBytes($"[\"{new string('x', (1024 * 1024) + 1)}\"]"), MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: invalid gzip", method, path, [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02], ContentEncoding: "gzip", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: not gzip at all", method, path, Encoding.UTF8.GetBytes(valid), ContentEncoding: "gzip", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: truncated gzip", method, path, Gzip(Encoding.UTF8.GetBytes(valid))[..12], ContentEncoding: "gzip", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: gzip bomb", method, path, Gzip(Encoding.UTF8.GetBytes("[\"" + new string('0', 8 * 1024 * 1024) + "\"]")), ContentEncoding: "gzip", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: brotli", method, path, Encoding.UTF8.GetBytes(valid), ContentEncoding: "br", MustReject: true, Mutates: true);
            yield return new HostileRequest($"{name}: gzip twice", method, path, Gzip(Gzip(Encoding.UTF8.GetBytes(valid))), ContentEncoding: "gzip, gzip", MustReject: true, Mutates: true);
        }
    }

    private IEnumerable<HostileRequest> SegmentFaults()
    {
        var rules = new[]
        {
            "\"orders >\"", "\"count(visit, 1.5d) > 1\"", "\"count(visit, 99999999999999999999d) > 1\"", "\"count(visit, 9223372036854775807w) > 1\"",
            "\"orders > 1e999\"", "\"orders > NaN\"", "\"(((((((((((((((((((((((((((((((((orders > 1)))))))))))))))))))))))))))))))))\"",
            "\"" + string.Concat(Enumerable.Repeat("not ", 40)) + "orders > 1\"", "\"" + new string('(', 3000) + "\"", "\"orders > 1 and " + new string('1', 5000) + "\"",
            "\"profile.email == \\\"\\ud800\\\"\"", "\"profile.email == \\\"\\u0000\\\"\"", "\"orders > 1; DROP TABLE cg_segments\"", "\"in_segment(\\\"../x\\\")\"",
            "\"in_segment(\\\"nope\\\")\"", "\"\"", "42", "true", "[]", "null", "{\"op\": \"~\"}", "{\"and\": []}", "{\"not\": 1}",
            "{\"op\": \">\", \"left\": {\"count\": {\"type\": \"visit\", \"window\": \"1d) > 0 or (orders\"}}, \"right\": 0}",
            "{\"op\": \">\", \"left\": {\"field\": \"orders > 0 or true\"}, \"right\": 1}", "{\"in_segment\": \"\\ud800\"}",
            "{\"op\": \">\", \"left\": {\"field\": \"orders\"}, \"right\": 1e999}",
        };
        foreach (var rule in rules)
        {
            yield return Reject($"segment rule {rule[..Math.Min(50, rule.Length)]}", HttpMethod.Post, Segments, $"{{\"id\": \"fz-{Serial()}\", \"rule\": {rule}}}");
            yield return Reject($"segment update rule {rule[..Math.Min(50, rule.Length)]}", HttpMethod.Put, $"{Segments}/spain", $"{{\"rule\": {rule}}}");
            if (!rule.Contains("nope", StringComparison.Ordinal))
            {
                // A preview may read a segment that does not exist (it is empty); saving such a rule is refused.
                yield return Reject($"preview rule {rule[..Math.Min(50, rule.Length)]}", HttpMethod.Post, $"{Segments}/preview", $"{{\"rule\": {rule}}}");
            }
        }

        foreach (var id in new[] { "\"Bad Id\"", "\"\"", "\"../x\"", "\"a/b\"", "\"x\\u0000\"", "\"\\ud800\"", $"\"{new string('a', 65)}\"", "7", "[]", "\"buyers\"", "\"-x\"", "\"x;DROP\"" })
        {
            yield return Reject($"segment id {id[..Math.Min(30, id.Length)]}", HttpMethod.Post, Segments, $"{{\"id\": {id}, \"rule\": \"orders > 1\"}}");
        }

        foreach (var (field, value) in new[]
        {
            ("name", "\"\""), ("name", $"\"{new string('n', 201)}\""), ("name", "\"a\\u0001\""), ("name", "7"), ("description", $"\"{new string('d', 2001)}\""),
            ("description", "\"\\u0000\""), ("description", "[]"), ("parent", "\"no-such\""), ("parent", "\"Bad\""), ("parent", "7"), ("extra", "1"),
            ("holdout", "51"), ("holdout", "-1"), ("holdout", "10.5"), ("holdout", "1e999"), ("holdout", "\"10\""), ("holdout", "[]"), ("holdout", "2147483648"),
        })
        {
            yield return Reject($"segment {field} {value[..Math.Min(30, value.Length)]}", HttpMethod.Post, Segments, $"{{\"id\": \"fz-{Serial()}\", \"{field}\": {value}, \"rule\": \"orders > 1\"}}");
        }

        yield return Reject("segment update of another id", HttpMethod.Put, $"{Segments}/spain", "{\"id\": \"buyers\", \"rule\": \"orders > 1\"}");
        yield return Reject("segment update that makes a cycle", HttpMethod.Put, $"{Segments}/buyers", "{\"rule\": \"in_segment(\\\"vip-buyers\\\")\"}");
        yield return Reject("segment update of an unknown segment", HttpMethod.Put, $"{Segments}/no-such", "{\"rule\": \"orders > 1\"}");
        yield return Reject("delete a segment others refer to", HttpMethod.Delete, $"{Segments}/buyers", null);
        foreach (var sample in new[] { "-1", "101", "\"10\"", "1e999", "10.5", "null", "[]", "2147483648" })
        {
            yield return Reject($"preview sample {sample}", HttpMethod.Post, $"{Segments}/preview", $"{{\"rule\": \"orders > 1\", \"sample\": {sample}}}");
        }
    }

    /// <summary>Only faults that are certain: an accepted change here would reclassify customers in the background.</summary>
    private IEnumerable<HostileRequest> ClassificationFaults()
    {
        var path = $"/v1/stores/{store}/classification";
        foreach (var body in new[]
        {
            "{\"highFrom\": \"1000\", \"mediumFrom\": 100}", "{\"highFrom\": 1e999, \"mediumFrom\": 100}", "{\"highFrom\": 100, \"mediumFrom\": 1000}",
            "{\"highFrom\": 100}", "{\"newDays\": 1.5}", "{\"newDays\": 0}", "{\"newDays\": -1}", "{\"newDays\": 1e10}", "{\"activeDays\": 200}",
            "{\"lapsedDays\": 99999}", "{\"newDays\": \"30\"}", "{\"newDays\": true}", "{\"newDays\": [30]}", "{\"other\": 1}", "[]", "42",
            "{\"highFrom\": -5, \"mediumFrom\": -10}", "{\"\\ud800\": 1}",
        })
        {
            yield return Reject($"classification {body}", HttpMethod.Put, path, body);
        }
    }

    private IEnumerable<HostileRequest> TrackingFaults()
    {
        foreach (var (name, message) in new[]
        {
            ("no messageId", $"{{\"type\": \"track\", \"event\": \"X\", \"userId\": \"{Ghost()}\"}}"),
            ("no user", $"{{\"type\": \"track\", \"event\": \"X\", \"messageId\": \"m-{Serial()}\"}}"),
            ("unknown type", $"{{\"type\": \"merge\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\"}}"),
            ("event of symbols", $"{{\"type\": \"track\", \"event\": \"!!!\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\"}}"),
            ("far past with a future sentAt", $"{{\"type\": \"track\", \"event\": \"X\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"timestamp\": \"0001-01-01T00:00:00Z\", \"sentAt\": \"{now.AddDays(300):O}\"}}"),
            ("far future with a past sentAt", $"{{\"type\": \"track\", \"event\": \"X\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"timestamp\": \"9999-12-31T23:59:59Z\", \"sentAt\": \"{now.AddDays(-300):O}\"}}"),
            ("bad timestamp", $"{{\"type\": \"track\", \"event\": \"X\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"timestamp\": \"yesterday\"}}"),
            ("lone surrogate user", $"{{\"type\": \"track\", \"event\": \"X\", \"userId\": \"\\ud800\", \"messageId\": \"m-{Serial()}\"}}"),
            ("control character user", $"{{\"type\": \"track\", \"event\": \"X\", \"userId\": \"a\\u0000\", \"messageId\": \"m-{Serial()}\"}}"),
            ("negative total", $"{{\"type\": \"track\", \"event\": \"Order Completed\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"properties\": {{\"total\": -3}}}}"),
            ("infinite total", $"{{\"type\": \"track\", \"event\": \"Order Completed\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\", \"properties\": {{\"total\": 1e999}}}}"),
            ("alias without previousId", $"{{\"type\": \"alias\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\"}}"),
            ("message that is a string", "\"track\""),
        })
        {
            yield return Reject($"tracking batch: {name}", HttpMethod.Post, "/v1/batch", $"{{\"batch\": [{message}]}}");
            yield return new HostileRequest($"tracking batch gzip: {name}", HttpMethod.Post, "/v1/batch", Gzip(Encoding.UTF8.GetBytes($"{{\"batch\": [{message}]}}")), ContentEncoding: "gzip", MustReject: true, Mutates: true);
        }

        yield return Reject("tracking batch that is an array", HttpMethod.Post, "/v1/batch", "[]");
        yield return Reject("tracking batch of a string", HttpMethod.Post, "/v1/batch", "{\"batch\": \"x\"}");
        yield return Reject("tracking batch of 2501", HttpMethod.Post, "/v1/batch", "{\"batch\": [" + string.Join(",", Enumerable.Repeat("{}", 2501)) + "]}");
        yield return Reject("tracking call of 33 KB", HttpMethod.Post, "/v1/track", $"{{\"event\": \"X\", \"userId\": \"{Ghost()}\", \"messageId\": \"m\", \"properties\": {{\"p\": \"{new string('x', 33 * 1024)}\"}}}}");
    }

    /// <summary>Hostile ids in the route, odd queries and methods; none of these ids exists in the store.</summary>
    private IEnumerable<HostileRequest> PathFaults()
    {
        var ids = new[]
        {
            "ghost-none", "..%2F..%2Fetc%2Fpasswd", "a%2Fb", "%00", "a%00b", "%01", "%20x", "x%20", "%F0%9F%92%A5", "%ED%A0%80", "%FF",
            "'%3B%20DROP%20TABLE%20cg_customers%3B--", "%3Cscript%3E", new string('a', 129), new string('a', 4000), "%25", "%", "%zz", "a%3Fb", "a%23b",
            "${jndi:x}", "CON", "~", "\u00e9",
        };
        foreach (var id in ids)
        {
            yield return new HostileRequest($"get customer {id[..Math.Min(30, id.Length)]}", HttpMethod.Get, $"/v1/stores/{store}/customers/{id}", null, null, MustReject: true);
            yield return new HostileRequest($"delete customer {id[..Math.Min(30, id.Length)]}", HttpMethod.Delete, $"/v1/stores/{store}/customers/{id}", null, null, MustReject: true, Mutates: true);
            yield return new HostileRequest($"get segment {id[..Math.Min(30, id.Length)]}", HttpMethod.Get, $"{Segments}/{id}", null, null, MustReject: true);
            yield return new HostileRequest($"delete segment {id[..Math.Min(30, id.Length)]}", HttpMethod.Delete, $"{Segments}/{id}", null, null, MustReject: true, Mutates: true);
            yield return new HostileRequest($"count segment {id[..Math.Min(30, id.Length)]}", HttpMethod.Get, $"{Segments}/{id}/count", null, null, MustReject: true);
            yield return new HostileRequest($"members of {id[..Math.Min(30, id.Length)]}", HttpMethod.Get, $"{Segments}/{id}/members", null, null, MustReject: true);
            yield return new HostileRequest($"member check {id[..Math.Min(30, id.Length)]}", HttpMethod.Get, $"{Segments}/buyers/members/{id}", null, null, MustReject: true);
            yield return new HostileRequest($"profile of {id[..Math.Min(30, id.Length)]}", HttpMethod.Put, $"/v1/stores/{store}/customers/{id}/profile", "{\"email\": 7}"u8.ToArray(), MustReject: true, Mutates: true);
        }

        var queries = new[]
        {
            "limit=-1", "limit=0", "limit=1001", "limit=99999999999", "limit=1e3", "limit=", "limit=abc", "limit=1,2", "limit=1&limit=2", "limit=%00",
            "limit=0x10", "cursor=", "cursor=%25%25", "cursor=AAAA", "cursor=" + new string('A', 300), "cursor=AA%3D%3D", "cursor=_-_-", "cursor=%00",
            "cursor=" + Convert.ToBase64String([0xff, 0xfe]), "cursor=" + Convert.ToBase64String([0xed, 0xa0, 0x80]), "cursor=" + Convert.ToBase64String([0x01]),
            "cursor=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(" x")), "cursor=a&cursor=b", "limit=10&cursor=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('a', 129))),
        };
        foreach (var query in queries)
        {
            yield return new HostileRequest($"members ?{query[..Math.Min(40, query.Length)]}", HttpMethod.Get, $"{Segments}/buyers/members?{query}", null, null, MustReject: true);
        }

        var statsQueries = new[]
        {
            "from=", "to=", "interval=", "window=", "from=%00", "from=1e999", "from=0001-01-01", "to=9999-12-31T23:59:59Z", "to=1990-01-01",
            "from=2026-11-20&to=2026-11-19", "interval=week", "interval=Day", "interval=day&interval=hour", "window=-1", "window=0", "window=91",
            "window=1e3", "window=99999999999", $"interval=minute&from={Recent}", "from=" + new string('9', 300),
        };
        foreach (var query in statsQueries)
        {
            yield return new HostileRequest($"stats ?{query[..Math.Min(40, query.Length)]}", HttpMethod.Get, $"{Segments}/buyers/stats?{query}", null, null, MustReject: true);
        }

        var flowQueries = new[]
        {
            "", "segments=", "segments=buyers", "segments=buyers,buyers", "segments=buyers,%00", "segments=buyers,no-such", "segments=buyers,Bad%20Id",
            "segments=" + string.Join(',', Enumerable.Range(0, 21).Select(i => $"s{i}")), "segments=buyers,spain&from=0001-01-01",
            "segments=buyers,spain&to=1990-01-01", "segments=buyers,spain&from=2999-01-01", "segments=buyers,,spain",
        };
        foreach (var query in flowQueries)
        {
            yield return new HostileRequest($"flows ?{query[..Math.Min(40, query.Length)]}", HttpMethod.Get, $"/v1/stores/{store}/flows?{query}", null, null, MustReject: true);
        }

        foreach (var (method, path) in new[]
        {
            (HttpMethod.Patch, Events), (HttpMethod.Get, Events), (HttpMethod.Delete, Segments), (HttpMethod.Post, $"{Segments}/buyers/count"),
            (HttpMethod.Get, $"/v1/stores/{store}/reconcile"), (HttpMethod.Get, "/v1/batch"), (HttpMethod.Get, "/v1/nothing"), (HttpMethod.Get, $"/v1/stores/{store}"),
            (HttpMethod.Post, $"/v1/stores/{store}/customers/x"), (HttpMethod.Get, "/v1/stores//segments"), (HttpMethod.Get, "/v1/stores/%2E%2E/segments"),
            (HttpMethod.Get, "/v1/stores/FUZZ/segments"), (HttpMethod.Get, "/v1/stores/fuzz%00/segments"), (HttpMethod.Get, $"/{new string('a', 9000)}"),
        })
        {
            yield return new HostileRequest($"{method} {path[..Math.Min(50, path.Length)]}", method, path, null, null, MustReject: true, Mutates: method != HttpMethod.Get);
        }
    }

    private IEnumerable<HostileRequest> KeyFaults()
    {
        var headers = new[]
        {
            "", "Bearer", "Bearer ", "Bearer  ", "Bearer wrong", "Bearer " + new string('k', 10_000), "bearer", "Token cg_dev_demo_key", "Basic", "Basic !!!",
            "Basic " + Convert.ToBase64String(":"u8.ToArray()), "Basic " + Convert.ToBase64String("wrong:"u8.ToArray()),
            "Basic " + Convert.ToBase64String([0xff, 0xfe, 0x3a]), "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('k', 5000) + ":")),
            "Bearer cg_dev_demo_key", "Basic " + Convert.ToBase64String("cg_dev_demo_key:"u8.ToArray()), "Bearer ' OR '1'='1", "Bearer ../../key",
        };
        foreach (var header in headers)
        {
            yield return new HostileRequest($"events with auth '{header[..Math.Min(30, header.Length)]}'", HttpMethod.Post, Events, Encoding.UTF8.GetBytes($"[{Event("visit", "{}")}]"), Authorization: header, MustReject: true, Mutates: true);
            yield return new HostileRequest($"segments with auth '{header[..Math.Min(30, header.Length)]}'", HttpMethod.Get, Segments, Authorization: header, MustReject: true);
            yield return new HostileRequest($"batch with auth '{header[..Math.Min(30, header.Length)]}'", HttpMethod.Post, "/v1/batch", Encoding.UTF8.GetBytes($"{{\"batch\": [{{\"type\": \"page\", \"userId\": \"{Ghost()}\", \"messageId\": \"m-{Serial()}\"}}]}}"), Authorization: header, MustReject: true, Mutates: true);
        }
    }

    private byte[] Mutate(byte[] input, byte[] other, List<string> how)
    {
        if (input.Length == 0)
        {
            how.Add("refill");
            return other;
        }

        var at = _random.Next(input.Length);
        var length = Math.Min(input.Length - at, 1 + _random.Next(16));
        switch (_random.Next(8))
        {
            case 0:
                how.Add($"flip bit at {at}");
                var flipped = (byte[])input.Clone();
                flipped[at] ^= (byte)(1 << _random.Next(8));
                return flipped;
            case 1:
                how.Add($"truncate at {at}");
                return input[..at];
            case 2:
                how.Add($"duplicate {length} at {at}");
                return [.. input[..(at + length)], .. input[at..]];
            case 3:
                var from = _random.Next(other.Length);
                how.Add($"splice at {at} from {from}");
                return [.. input[..at], .. other[from..]];
            case 4:
                var b = InterestingBytes[_random.Next(InterestingBytes.Length)];
                how.Add($"byte {b:x2} at {at}");
                var set = (byte[])input.Clone();
                set[at] = b;
                return set;
            case 5:
                how.Add($"delete {length} at {at}");
                return [.. input[..at], .. input[(at + length)..]];
            default:
                return ChangeValue(input, how);
        }
    }

    /// <summary>Replaces one string or number value with a value of another type or an extreme of its own.</summary>
    private byte[] ChangeValue(byte[] input, List<string> how)
    {
        var text = Encoding.UTF8.GetString(input);
        var values = System.Text.RegularExpressions.Regex.Matches(text, "(?<=:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)");
        if (values.Count == 0)
        {
            how.Add("no value to change");
            return input;
        }

        var value = values[_random.Next(values.Count)];
        var replacement = Replacements[_random.Next(Replacements.Length)];
        how.Add($"{value.Value[..Math.Min(20, value.Value.Length)]} → {replacement[..Math.Min(20, replacement.Length)]}");
        return Encoding.UTF8.GetBytes(text[..value.Index] + replacement + text[(value.Index + value.Length)..]);
    }

    private HostileRequest Reject(string name, HttpMethod method, string path, string? body) =>
        new(name, method, path, body is null ? null : Encoding.UTF8.GetBytes(body), body is null ? null : "application/json", MustReject: true, Mutates: method != HttpMethod.Get);

    private string Event(string type, string properties) =>
        $"{{\"id\": \"f-{Serial()}\", \"customerId\": \"{Ghost()}\", \"type\": \"{type}\", \"timestamp\": \"{Recent}\", \"properties\": {properties}}}";

    private string EventWith(string field, string? value)
    {
        var fields = new Dictionary<string, string>
        {
            ["id"] = $"\"f-{Serial()}\"", ["customerId"] = $"\"{Ghost()}\"", ["type"] = "\"visit\"", ["timestamp"] = $"\"{Recent}\"", ["properties"] = "{}",
        };
        if (value is null)
        {
            fields.Remove(field);
        }
        else
        {
            fields[field] = value;
        }

        return "{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
    }

    private string Ghost() => GhostPrefix + _random.Next(5).ToString(CultureInfo.InvariantCulture);

    private string Serial() => (++_serial).ToString(CultureInfo.InvariantCulture);

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
