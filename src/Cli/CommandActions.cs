using System.CommandLine;
using CustomerGrains.Cli.Output;
using CustomerGrains.Cli.Settings;

namespace CustomerGrains.Cli;

/// <summary>Runs a command's body and turns every way it can fail into a message and an exit code (<see cref="ExitCodes"/>).</summary>
public static class CommandActions
{
    public static Command Runs(this Command command, Func<CliContext, CancellationToken, Task<int>> body)
    {
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var output = new CliOutput(parse.GetValue(GlobalOptions.Json), parse.GetValue(GlobalOptions.Quiet));
        var connection = new Lazy<Connection>(() => ConnectionResolver.Resolve(
            parse.GetValue(GlobalOptions.Url), parse.GetValue(GlobalOptions.Store), parse.GetValue(GlobalOptions.Key), parse.GetValue(GlobalOptions.Config)));
        using var context = new CliContext(parse, output, connection);
        try
        {
            return await body(context, ct);
        }
        catch (CliException error)
        {
            output.Error(error);
            return error.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            output.Error(new CliException(ExitCodes.Interrupted, "interrupted"));
            return ExitCodes.Interrupted;
        }
        catch (HttpRequestException error)
        {
            output.Error(new CliException(ExitCodes.Unavailable, $"cannot reach the API: {error.Message}"));
            return ExitCodes.Unavailable;
        }
        catch (IOException error)
        {
            output.Error(new CliException(ExitCodes.Usage, error.Message));
            return ExitCodes.Usage;
        }
        catch (UnauthorizedAccessException error)
        {
            output.Error(new CliException(ExitCodes.Usage, error.Message));
            return ExitCodes.Usage;
        }
    }
}
