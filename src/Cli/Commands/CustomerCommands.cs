using System.CommandLine;
using System.Text.Json;
using CustomerGrains.Cli.Output;

namespace CustomerGrains.Cli.Commands;

/// <summary><c>customers show|export|erase|unsuppress</c>: one customer's routes, and the suppression an erasure leaves.</summary>
public static class CustomerCommands
{
    private static readonly Argument<string> Id = new("customer") { Description = "The customer's id, as the store sends it" };

    public static Command Create()
    {
        var customers = new Command("customers", "Look a customer up, export everything held about them, erase them");
        customers.Add(Show());
        customers.Add(Export());
        customers.Add(Erase());
        customers.Add(Unsuppress());
        return customers;
    }

    private static Command Show()
    {
        var show = new Command("show", "Profile, traits, classification and segments of one customer") { Id };
        return show.Runs(async (context, ct) =>
        {
            var customer = await context.Api.GetAsync(context.Api.Store("customers", context.Value(Id)), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(customer);
                return ExitCodes.Ok;
            }

            context.Output.Line($"customer {Render.Text(customer, "customerId")}");
            foreach (var section in new[] { "profile", "traits", "classification" })
            {
                if (customer.TryGetProperty(section, out var value) && value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any())
                {
                    context.Output.Write(Render.Fields(value, section));
                }
            }

            var segments = Render.Table("segment", "entered at", "cause", "holdout");
            foreach (var segment in customer.GetProperty("segments").EnumerateArray())
            {
                Render.Row(segments, Render.Text(segment, "id"), Render.Text(segment, "enteredAt"), Render.Text(segment, "cause"), Render.Text(segment, "holdout"));
            }

            context.Output.Write(segments);
            if (customer.TryGetProperty("mergedIds", out var merged) && merged.GetArrayLength() > 0)
            {
                context.Output.Line($"merged ids: {Render.Scalar(merged)}");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Export()
    {
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the document to this file instead of standard output" };
        var export = new Command("export", "Everything held about the customer (an access request), as one JSON document") { Id, output };
        return export.Runs(async (context, ct) =>
        {
            var id = context.Value(Id);
            var document = await context.Api.GetAsync(context.Api.Store("customers", id, "export"), ct);
            if (context.Value(output) is { } file)
            {
                await using (var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write))
                await using (var writer = new Utf8JsonWriter(stream, CliOutput.WriterOptions))
                {
                    document.WriteTo(writer);
                }

                CliOutput.Warn($"everything held about {id} written to {file.FullName}");
            }
            else
            {
                // The document is the answer whether or not --json was given: it is JSON by nature.
                context.Output.WriteJson(document);
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Erase()
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var erase = new Command("erase", "Erase the customer everywhere (right to erasure); the id stays suppressed: its later events are refused") { Id, yes };
        return erase.Runs(async (context, ct) =>
        {
            var id = context.Value(Id);
            if (!context.Output.Confirm($"Erase customer '{id}' of store '{context.Connection.Store}' everywhere? This cannot be undone.", context.Value(yes)))
            {
                CliOutput.Warn("nothing was erased");
                return ExitCodes.Ok;
            }

            await context.Api.DeleteAsync(context.Api.Store("customers", id), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new { erased = id, suppressed = true });
            }
            else
            {
                context.Output.Line($"erased customer '{id}'; the id is suppressed (its events are refused) until 'customers unsuppress {id}'");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Unsuppress()
    {
        var unsuppress = new Command("unsuppress", "Lift the suppression an erasure left: the id's next events make a new customer") { Id };
        return unsuppress.Runs(async (context, ct) =>
        {
            var id = context.Value(Id);
            await context.Api.DeleteAsync(context.Api.Store("suppressions", id), ct);
            if (context.Output.Json)
            {
                context.Output.WriteJson(new { unsuppressed = id });
            }
            else
            {
                context.Output.Line($"lifted the suppression of '{id}'");
            }

            return ExitCodes.Ok;
        });
    }
}
