using CustomerGrains.Import;

// Imports a file of events (NDJSON, or CSV with a column mapping) through the Api, resumably.
// Usage: CustomerGrains.Import <file> --store <store> [--api URL] [--key KEY] [--csv MAPPING]
//        [--delimiter ,] [--no-header] [--batch 500] [--restart] [--quiet]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: CustomerGrains.Import <file> --store <store> [--api http://127.0.0.1:5080] [--key KEY | env CG_API_KEY]");
    Console.Error.WriteLine("       [--csv id=col,customerId=col,type=@order_completed,timestamp=col,properties.revenue=col] [--delimiter ,] [--no-header]");
    Console.Error.WriteLine("       [--batch 500] [--restart] [--quiet]");
    return 2;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var file = args[0];
if (!File.Exists(file) || Option("--store") is not { } store)
{
    Console.Error.WriteLine(File.Exists(file) ? "--store is required" : $"no such file: {file}");
    return 2;
}

var delimiter = Option("--delimiter") is { } d ? (d == "space" ? ' ' : d == "tab" ? '\t' : d[0]) : ',';
var options = new ImportOptions(
    file,
    new Uri(Option("--api") ?? "http://127.0.0.1:5080"),
    Option("--key") ?? Environment.GetEnvironmentVariable("CG_API_KEY") ?? "cg_dev_demo_key",
    store,
    Option("--csv") is { } mapping ? CsvMapping.Parse(mapping, delimiter, !args.Contains("--no-header")) : null,
    BatchSize: int.Parse(Option("--batch") ?? "500", System.Globalization.CultureInfo.InvariantCulture),
    Progress: !args.Contains("--quiet"));
if (args.Contains("--restart"))
{
    File.Delete(options.CheckpointFile);
}

var result = await new Importer(options, Console.Error).RunAsync();
Console.WriteLine($"lines {result.Lines:N0}, accepted {result.Accepted:N0}, duplicates {result.Duplicates:N0}");
if (!result.Succeeded)
{
    Console.Error.WriteLine($"stopped: {result.Failure}");
    Console.Error.WriteLine("nothing at or after that line's batch was imported; fix it and run the same command again to resume");
    return 1;
}

return 0;
