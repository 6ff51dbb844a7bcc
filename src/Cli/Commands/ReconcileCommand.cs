using System.CommandLine;
using CustomerGrains.Cli.Output;

namespace CustomerGrains.Cli.Commands;

/// <summary><c>reconcile</c>: compares every segment's members with a recount from customer state; exit 6 when they differ.</summary>
public static class ReconcileCommand
{
    public static Command Create() =>
        new Command("reconcile", "Check every segment's members against a recount from customer state, and the rankings' index; changes nothing")
            .Runs(async (context, ct) =>
            {
                // One request that asks every customer: the bar moves while it runs (the API reports no steps).
                var report = await context.Output.WithProgressAsync($"reconciling {context.Connection.Store}", streamsToStandardOutput: false, async bar =>
                {
                    bar.Total(null);
                    var answer = await context.Api.PostAsync(context.Api.Store("reconcile"), new System.Text.Json.Nodes.JsonObject(), ct);
                    bar.Complete();
                    return answer;
                });
                var consistent = report.GetProperty("consistent").GetBoolean();
                if (context.Output.Json)
                {
                    context.Output.WriteJson(report);
                    return consistent ? ExitCodes.Ok : ExitCodes.Inconsistent;
                }

                var table = Render.Table("segment", "members", "recount", "extra", "missing");
                foreach (var segment in report.GetProperty("segments").EnumerateArray())
                {
                    Render.Row(table, Render.Text(segment, "id"), Render.Text(segment, "members"), Render.Text(segment, "recount"),
                        Render.Text(segment, "extra"), Render.Text(segment, "missing"));
                }

                context.Output.Write(table);
                var rankings = report.GetProperty("rankings");
                if (rankings.GetArrayLength() > 0)
                {
                    context.Output.Line($"rankings differ from customer state for: {Render.Scalar(rankings)}");
                }

                context.Output.Line(consistent
                    ? $"consistent: {Render.Count(report.GetProperty("customers").GetInt64())} customers"
                    : "INCONSISTENT: see the differences above");
                return consistent ? ExitCodes.Ok : ExitCodes.Inconsistent;
            });
}
