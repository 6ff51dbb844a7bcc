using System.CommandLine;
using System.Globalization;
using CustomerGrains.Cli.Output;
using CustomerGrains.Import;

namespace CustomerGrains.Cli.Commands;

/// <summary>
/// <c>import</c>: the bulk importer of <c>src/Import</c> (NDJSON, or CSV through a column mapping), resumable from its
/// checkpoint beside the file. The options are the ones the importer had as a program of its own (<c>--api</c> is
/// <c>--url</c>'s other name).
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "NDJSON (one event per line, as the events route takes them), or CSV with --csv" };
        var csv = new Option<string?>("--csv")
        {
            Description = "Read CSV through this mapping: id=col,customerId=col,type=@order_completed,timestamp=col,properties.revenue=col (@ marks a constant)",
        };
        var delimiter = new Option<string>("--delimiter") { Description = "The CSV delimiter: a character, space or tab", DefaultValueFactory = _ => "," };
        var noHeader = new Option<bool>("--no-header") { Description = "The CSV has no header row: columns are named by 1-based position" };
        var batch = new Option<int>("--batch") { Description = "Events per request (1–1000)", DefaultValueFactory = _ => 500 };
        var restart = new Option<bool>("--restart") { Description = "Forget the checkpoint and start from the first line (re-sent events count as duplicates)" };
        var import = new Command("import", "Import a file of events through the API, a few batches in flight, resumable")
        {
            file, csv, delimiter, noHeader, batch, restart,
        };
        return import.Runs(async (context, ct) =>
        {
            var path = context.Value(file);
            if (!path.Exists)
            {
                throw CliException.Usage($"no such file: {path.FullName}");
            }

            if (context.Value(batch) is var size && size is < 1 or > 1000)
            {
                throw CliException.Usage("--batch takes 1 to 1000 events per request");
            }

            var options = new ImportOptions(path.FullName, context.Connection.Url, context.Connection.Key, context.Connection.Store,
                Mapping(context.Value(csv), context.Value(delimiter)!, !context.Value(noHeader)), BatchSize: size);
            if (context.Value(restart))
            {
                File.Delete(options.CheckpointFile);
            }

            var result = await context.Output.WithProgressAsync($"importing {path.Name}", streamsToStandardOutput: false, async bar =>
            {
                var progress = new Reporter(bar);
                try
                {
                    return await new Importer(options, progress).RunAsync(ct);
                }
                catch (InvalidDataException error)
                {
                    throw CliException.Usage(error.Message);
                }
            });

            if (context.Output.Json)
            {
                context.Output.WriteJson(new
                {
                    file = path.FullName,
                    store = options.Store,
                    lines = result.Lines,
                    accepted = result.Accepted,
                    duplicates = result.Duplicates,
                    succeeded = result.Succeeded,
                    failedLine = result.FailedLine,
                    failure = result.Failure,
                    checkpoint = options.CheckpointFile,
                });
            }
            else
            {
                context.Output.Line(string.Create(CultureInfo.InvariantCulture, $"lines {result.Lines:N0}, accepted {result.Accepted:N0}, duplicates {result.Duplicates:N0}"));
            }

            if (result.Succeeded)
            {
                return ExitCodes.Ok;
            }

            var code = result.RefusedStatus is { } status ? ExitCodes.ForStatus(status) : ExitCodes.Refused;
            if (!context.Output.Json)
            {
                CliOutput.Warn($"stopped: {result.Failure}");
                CliOutput.Warn("nothing at or after that line's batch was imported; fix it and run the same command again to resume");
            }
            else
            {
                context.Output.Error(new CliException(code, $"stopped: {result.Failure}", result.RefusedStatus));
            }

            return code;
        });
    }

    private static CsvMapping? Mapping(string? mapping, string delimiter, bool header)
    {
        if (mapping is null)
        {
            return null;
        }

        var separator = delimiter switch
        {
            "space" => ' ',
            "tab" => '\t',
            { Length: 1 } one => one[0],
            _ => throw CliException.Usage("--delimiter takes one character, space or tab"),
        };
        try
        {
            return CsvMapping.Parse(mapping, separator, header);
        }
        catch (ArgumentException error)
        {
            throw CliException.Usage($"--csv: {error.Message}");
        }
    }

    /// <summary>The importer's progress on the bar: bytes of the file read.</summary>
    private sealed class Reporter(ProgressBar bar) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            bar.Total(value.Length);
            bar.Done(value.Position);
            bar.Describe(string.Create(CultureInfo.InvariantCulture, $"importing: line {value.Lines:N0}"));
        }
    }
}
