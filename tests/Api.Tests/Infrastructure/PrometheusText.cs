using System.Globalization;
using System.Text;

namespace CustomerGrains.Api.Tests.Infrastructure;

/// <summary>
/// A scrape in the Prometheus text format (0.0.4), read into samples: <c>name{label="value",…} value [timestamp]</c> per
/// line, comments skipped, label values unescaped (\\, \", \n).
/// </summary>
public sealed class PrometheusText
{
    private PrometheusText(IReadOnlyList<Sample> samples) => Samples = samples;

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, string path = "/metrics")
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return Parse(text);
    }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var at = 0;
            while (at < line.Length && line[at] is not ('{' or ' '))
            {
                at++;
            }

            var name = line[..at];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (at < line.Length && line[at] == '{')
            {
                at++;
                while (line[at] != '}')
                {
                    var equals = line.IndexOf('=', at);
                    var label = line[at..equals].Trim(' ', ',');
                    at = equals + 2; // past ="
                    var value = new StringBuilder();
                    for (; line[at] != '"'; at++)
                    {
                        if (line[at] == '\\')
                        {
                            at++;
                            value.Append(line[at] == 'n' ? '\n' : line[at]);
                        }
                        else
                        {
                            value.Append(line[at]);
                        }
                    }

                    labels[label] = value.ToString();
                    at++; // past the closing quote
                    while (line[at] is ',' or ' ')
                    {
                        at++;
                    }
                }

                at++; // past }
            }

            var number = line[at..].Trim().Split(' ')[0];
            samples.Add(new Sample(name, labels, number switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(number, CultureInfo.InvariantCulture),
            }));
        }

        return new PrometheusText(samples);
    }

    /// <summary>The samples named <paramref name="name"/> whose labels include every pair of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Find(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    /// <summary>The sum of the matching samples' values; 0 when none matches (a counter never added to is not exported).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) => Find(name, labels).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
