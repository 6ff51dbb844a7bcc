using System.CommandLine;
using CustomerGrains.Cli.Http;
using CustomerGrains.Cli.Output;
using CustomerGrains.Cli.Settings;

namespace CustomerGrains.Cli;

/// <summary>What a command runs with: its parsed line, where to send requests, where to print.</summary>
public sealed class CliContext(ParseResult parse, CliOutput output, Lazy<Connection> connection) : IDisposable
{
    private readonly Lazy<ApiClient> _api = new(() => new ApiClient(connection.Value));

    public ParseResult Parse { get; } = parse;

    public CliOutput Output { get; } = output;

    public Connection Connection => connection.Value;

    public ApiClient Api => _api.Value;

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose()
    {
        if (_api.IsValueCreated)
        {
            _api.Value.Dispose();
        }
    }
}
