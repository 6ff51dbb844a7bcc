using System.CommandLine;
using CustomerGrains.Cli;
using CustomerGrains.Cli.Commands;

// customergrains: the admin CLI, a client of the HTTP API. Exit codes: ExitCodes.cs (README "Admin CLI").
var root = new RootCommand("CustomerGrains admin: segments, members, customers, keys, reconcile and import, through the HTTP API")
{
    SegmentCommands.Create(),
    MemberCommands.Create(),
    CustomerCommands.Create(),
    KeyCommands.Create(),
    ReconcileCommand.Create(),
    ImportCommand.Create(),
    ConfigCommand.Create(),
};
foreach (var option in GlobalOptions.All)
{
    root.Add(option);
}

return await root.Parse(args).InvokeAsync();
