using System.Text.Json;
using CustomerGrains.Api.Tests.Infrastructure;

namespace CustomerGrains.Api.Tests;

/// <summary>Console logs as JSON, one object per line, switched by configuration alone (as a log collector wants them).</summary>
[Collection(OwnApiCollection.Name)]
public sealed class JsonLogTests
{
    [Fact]
    public async Task Logging_Console_FormatterName_json_writes_one_json_object_per_line()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"cg-jsonlog-{Guid.NewGuid():N}");
        try
        {
            await using var api = new HostProcess(dataPath, new Dictionary<string, string>
            {
                ["Logging__Console__FormatterName"] = "json",
                ["Logging__LogLevel__Default"] = "Information",
            });
            await api.StartAsync();
            await api.StopAsync();

            var lines = api.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.NotEmpty(lines);
            var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
            Assert.All(entries, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Category", out _) && e.TryGetProperty("Message", out _)));
            Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.Contains("Application started", StringComparison.Ordinal));
        }
        finally
        {
            HostProcess.DeleteData(dataPath);
        }
    }
}
