using System.Globalization;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.DataQuality;
using CustomerGrains.Grains.Infrastructure;
using CustomerGrains.Grains.Quality;
using PhoneNumbers;

namespace CustomerGrains.Grains.Tests.Quality;

/// <summary>
/// The data-quality report as a recount of the customers themselves (their views and exports), by the README's
/// definitions written out again here, and how the report a store keeps differs from it: every count, every example
/// and every page of every check and field.
/// </summary>
internal sealed class QualityRecount
{
    private readonly Dictionary<(string Check, string Field), List<(string Id, string Detail)>> _found = [];
    private readonly List<(DateTimeOffset At, string Id)> _activity = [];
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _groups = [];

    private QualityRecount(IReadOnlyList<string> keyTraits) => KeyTraits = keyTraits;

    public IReadOnlyList<string> KeyTraits { get; }

    public int Customers { get; private set; }

    public static async Task<QualityRecount> OfAsync(IGrainFactory grains, string store, IEnumerable<string> ids, IReadOnlyList<string> keyTraits)
    {
        var recount = new QualityRecount(keyTraits);
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            if (await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).ExportAsync() is { } export)
            {
                recount.Add(id, export);
            }
        }

        recount.Close();
        return recount;
    }

    /// <summary>Everything in which the store's report differs from this recount; empty when none.</summary>
    public async Task<List<string>> DifferencesAsync(IQualityGrain report, DateTimeOffset now)
    {
        var differences = new List<string>();
        void Check<T>(string what, T expected, T actual)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                differences.Add($"{what}: expected {expected}, got {actual}");
            }
        }

        var summary = await report.SummaryAsync(null);
        Check("customers", (long)Customers, summary.Customers);
        foreach (var (check, counts) in new[] { (QualityChecks.Missing, summary.Missing), (QualityChecks.Invalid, summary.Invalid), (QualityChecks.Contradictions, summary.Contradictions) })
        {
            foreach (var count in counts.Fields.Prepend(counts.Any))
            {
                var expected = Found(check, count.Field);
                Check($"{check}/{count.Field} count", (long)expected.Count, count.Count);
                Check($"{check}/{count.Field} examples", Join(expected.Take(QualityIndex.Examples).Select(e => e.Id)), Join(count.Examples));
            }
        }

        foreach (var count in summary.Duplicates.Fields.Prepend(summary.Duplicates.Any))
        {
            var groups = Groups(count.Field);
            Check($"duplicates/{count.Field} groups", (long)groups.Count, count.Groups);
            Check($"duplicates/{count.Field} customers", (long)Found(QualityChecks.Duplicates, count.Field).Count, count.Customers);
            Check($"duplicates/{count.Field} examples", Math.Min(groups.Count, QualityIndex.Examples), count.Examples.Length);
            foreach (var example in count.Examples)
            {
                Check($"duplicates/{count.Field} example {Join(example)} is a group", true, groups.Contains(Join(example)));
            }
        }

        foreach (var days in new[] { 30, 200, 365 })
        {
            var obsolete = (await report.SummaryAsync(days)).Obsolete;
            var expected = Obsolete(now, days);
            Check($"obsolete {days} count", (long)expected.Count, obsolete.Count);
            Check($"obsolete {days} examples", Join(expected.Take(QualityIndex.Examples).Select(e => e.Id)), Join(obsolete.Examples));
            Check($"obsolete {days} pages", Join(expected.Select(e => $"{e.Id} {e.Detail}")), Join(await AllAsync(report, QualityChecks.Obsolete, null, days)));
        }

        Check("obsolete by default (no retention: 365 days)", summary.Obsolete.InactiveDays, 365);
        foreach (var check in new[] { QualityChecks.Missing, QualityChecks.Invalid, QualityChecks.Duplicates, QualityChecks.Contradictions })
        {
            foreach (var field in QualityChecks.FieldsOf(check, [.. KeyTraits]).Prepend(null))
            {
                Check($"{check}/{field} pages", Join(Found(check, field).Select(e => $"{e.Id} {e.Detail}")), Join(await AllAsync(report, check, field, null)));
            }
        }

        return differences;
    }

    private static async Task<List<string>> AllAsync(IQualityGrain report, string check, string? field, int? days)
    {
        var all = new List<string>();
        string? after = null;
        do
        {
            var page = (await report.PageAsync(new QualityQuery(check, field, after, 7, days))).Page!;
            Assert.True(page.Items.Length <= 7);
            all.AddRange(page.Items.Select(i => $"{i.CustomerId} {Detail(check, i)}"));
            after = page.Next;
        }
        while (after is not null);

        return all;
    }

    private static string Detail(string check, QualityItem item) => check switch
    {
        QualityChecks.Missing => string.Join(',', item.Missing),
        QualityChecks.Invalid => string.Join('|', item.Invalid.Select(f => $"{f.Field}:{f.Reason}")),
        QualityChecks.Duplicates => string.Join('|', item.Duplicates.Select(g => $"{g.Field}:{g.Size}:{Join(g.CustomerIds)}")),
        QualityChecks.Obsolete => item.LastActivity!.Value.UtcTicks.ToString(CultureInfo.InvariantCulture),
        _ => string.Join(',', item.Contradictions.Select(c => c.Kind)),
    };

    private void Add(string id, CustomerExport export)
    {
        Customers++;
        var profile = export.Profile;
        var missing = KeyTraits.Where(t => !Present(profile, t)).ToList();
        Found(QualityChecks.Missing, missing, $"{string.Join(',', missing)}", id);

        var invalid = export.View.RawValues.OrderBy(r => r.Field, StringComparer.Ordinal).ToList();
        Found(QualityChecks.Invalid, invalid.Select(r => r.Field), string.Join('|', invalid.Select(r => $"{r.Field}:{r.Reason}")), id);

        var contradictions = new List<string>();
        if (Text(profile, "phone") is { } phone && Text(profile, "country") is { } country)
        {
            var countries = PhoneNumberUtil.GetInstance().GetRegionCodesForCountryCode(PhoneNumberUtil.GetInstance().Parse(phone, "ZZ").CountryCode).Where(c => c != "001").ToList();
            if (countries.Count > 0 && !countries.Contains(country))
            {
                contradictions.Add(QualityChecks.PhoneCountry);
            }
        }

        if (profile.TryGetValue("age", out var age) && age.Value.AsNumber() is { } stated && Text(profile, "birthDate") is { } birthText)
        {
            var birth = DateOnly.ParseExact(birthText, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var on = DateOnly.FromDateTime(age.SetAt.UtcDateTime);
            var years = on.Year - birth.Year;
            if (birth.AddYears(years) > on)
            {
                years--;
            }

            if (Math.Abs(stated - years) > 1)
            {
                contradictions.Add(QualityChecks.Age);
            }
        }

        Found(QualityChecks.Contradictions, contradictions, string.Join(',', contradictions), id);

        void Key(string field, string? value)
        {
            if (value is not null)
            {
                var byKey = _groups.TryGetValue(field, out var g) ? g : _groups[field] = [];
                (byKey.TryGetValue(value, out var ids) ? ids : byKey[value] = new SortedSet<string>(StringComparer.Ordinal)).Add(id);
            }
        }

        Key("email", Text(profile, "email")?.ToLowerInvariant());
        Key("phone", Text(profile, "phone"));
        Key("name", Text(profile, "firstName") is { } first && Text(profile, "lastName") is { } last && Text(profile, "postalCode") is { } postal
            ? $"{Words(first)}/{Words(last)}/{string.Concat(postal.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant()}"
            : null);
        _activity.Add((export.View.Traits.LastSeenAt!.Value, id));
    }

    /// <summary>Duplicates are known once every customer is in: a customer's groups are those of two or more.</summary>
    private void Close()
    {
        var byCustomer = new SortedDictionary<string, List<(string Field, SortedSet<string> Group)>>(StringComparer.Ordinal);
        foreach (var field in QualityChecks.DuplicateFields)
        {
            foreach (var group in _groups.GetValueOrDefault(field)?.Values.Where(g => g.Count >= 2) ?? [])
            {
                foreach (var id in group)
                {
                    (byCustomer.TryGetValue(id, out var groups) ? groups : byCustomer[id] = []).Add((field, group));
                }
            }
        }

        foreach (var (id, groups) in byCustomer)
        {
            Found(QualityChecks.Duplicates, groups.Select(g => g.Field), string.Join('|', groups.Select(g => $"{g.Field}:{g.Group.Count}:{Join(g.Group.Take(QualityIndex.GroupIds))}")), id);
        }
    }

    private void Found(string check, IEnumerable<string> fields, string detail, string id)
    {
        var any = false;
        foreach (var field in fields)
        {
            Found(check, field).Add((id, detail));
            any = true;
        }

        if (any)
        {
            Found(check, null).Add((id, detail));
        }
    }

    private List<(string Id, string Detail)> Found(string check, string? field) =>
        _found.TryGetValue((check, field ?? ""), out var found) ? found : _found[(check, field ?? "")] = [];

    private HashSet<string> Groups(string? field) =>
        [.. _groups.Where(g => field is null || g.Key == field).SelectMany(g => g.Value.Values).Where(g => g.Count >= 2).Select(g => Join(g.Take(QualityIndex.GroupIds)))];

    private List<(string Id, string Detail)> Obsolete(DateTimeOffset now, int days) =>
        [.. _activity.Where(a => a.At <= now.AddDays(-days))
            .OrderBy(a => a.At).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => (a.Id, a.At.UtcTicks.ToString(CultureInfo.InvariantCulture)))];

    private static bool Present(IReadOnlyDictionary<string, ProfileField> profile, string trait) =>
        profile.TryGetValue(trait, out var field) && field.Value.Kind switch
        {
            PropertyKind.Null => false,
            PropertyKind.Text => field.Value.Text!.Trim().Length > 0,
            PropertyKind.List => field.Value.Items.Length > 0,
            _ => true,
        };

    private static string? Text(IReadOnlyDictionary<string, ProfileField> profile, string trait) =>
        profile.TryGetValue(trait, out var field) && field.Value.Kind == PropertyKind.Text && field.Value.Text!.Trim().Length > 0 ? field.Value.Text.Trim() : null;

    private static string Words(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant();

    private static string Join(IEnumerable<string> ids) => string.Join(',', ids);
}
