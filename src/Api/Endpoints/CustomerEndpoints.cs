using System.Collections.Immutable;
using System.Globalization;
using CustomerGrains.Api.Auth;
using CustomerGrains.Api.Contracts;
using CustomerGrains.Api.Validation;
using CustomerGrains.Contracts.Validation;
using CustomerGrains.Grains.Behaviour;
using CustomerGrains.Grains.Customers;
using CustomerGrains.Grains.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerGrains.Api.Endpoints;

public static class CustomerEndpoints
{
    private const int MaxProfileBytes = 64 * 1024;
    private const int MaxMergeBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/v1/stores/{store}/customers/{id}").WithTags("Customers");
        customers.MapGet("", GetAsync).RequireScope(Scopes.Read)
            .WithSummary("Profile, traits, classification and segments of one customer.");
        customers.MapPut("/profile", PutProfileAsync).RequireScope(Scopes.Ingest)
            .WithSummary("Set profile traits, as an identify event stamped now would; 204 once durable.");
        customers.MapDelete("", DeleteAsync).RequireScope(Scopes.Admin)
            .WithSummary("Erase the customer everywhere.");
        app.MapDelete("/v1/stores/{store}/suppressions/{id}", LiftSuppressionAsync).WithTags("Customers").RequireScope(Scopes.Admin)
            .WithSummary("Lift the suppression an erasure left on a customer id: its events are applied again, as a new customer's.");
        customers.MapGet("/export", ExportAsync).RequireScope(Scopes.Admin)
            .WithSummary("Everything held about the customer (profile, events held, totals, memberships and their history) as one JSON document.");
        customers.MapGet("/history", HistoryAsync).RequireScope(Scopes.Read)
            .WithSummary("?segment=&limit=&cursor= — the customer's entries to and exits from segments, newest first, with when, why and the rule version.");
        customers.MapPost("/merges", MergeAsync).RequireScope(Scopes.Ingest)
            .WithSummary("{secondaryId} — merge that customer into this one (as an alias would): one customer, both histories; the secondary's id answers as this one.");
        customers.MapDelete("/merges/{secondary}", UnmergeAsync).RequireScope(Scopes.Admin)
            .WithSummary("Give back a customer merged into this one: each side becomes what its own events make it.");
        return app;
    }

    private static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult>> HistoryAsync(
        string store, string id, string? segment, string? limit, string? cursor, HttpContext context, IGrainFactory grains)
    {
        id = RouteIds.Customer(context, id, fromEnd: 1);
        var errors = new List<FieldError>();
        if (!Ids.IsExternal(id))
        {
            errors.Add(new FieldError(null, "id", "is not a valid customer id"));
        }

        if (segment is not null && !Ids.IsSegment(segment))
        {
            errors.Add(new FieldError(null, "segment", "must be a segment id"));
        }

        var size = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 1000))
        {
            errors.Add(new FieldError(null, "limit", "must be a whole number between 1 and 1000"));
        }

        (long Seq, int Index)? through = null;
        if (cursor is not null)
        {
            if (Cursors.TryDecode(cursor, out var text) && text!.Split('.') is [var seq, var index]
                && long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            {
                through = (s, i);
            }
            else
            {
                errors.Add(new FieldError(null, "cursor", "is not one this Api returned"));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid("no history", errors);
        }

        var history = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id))
            .HistoryAsync(new HistoryQuery(segment, through?.Seq, through?.Index ?? 0, size));
        if (history is null)
        {
            return Problems.NotFound($"no customer '{id}' in this store");
        }

        var next = history.NextSeq is { } nextSeq ? Cursors.Encode(string.Create(CultureInfo.InvariantCulture, $"{nextSeq}.{history.NextIndex}")) : null;
        return TypedResults.Ok(new HistoryResponse(
            id,
            [.. history.Items.Select(HistoryItemResponse.From)],
            next,
            history.HeldSince));
    }

    private static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> GetAsync(string store, string id, HttpContext context, IGrainFactory grains)
    {
        id = RouteIds.Customer(context, id);
        if (!Ids.IsExternal(id))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var view = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).GetViewAsync();
        return view is null ? Problems.NotFound($"no customer '{id}' in this store") : TypedResults.Ok(CustomerResponse.From(view));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PutProfileAsync(
        string store, string id, HttpRequest request, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        id = RouteIds.Customer(request.HttpContext, id, fromEnd: 1);
        if (!Ids.IsExternal(id))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var (document, problem) = await JsonBody.ReadAsync(request, MaxProfileBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var errors = new List<FieldError>();
            var traits = EventParser.ParseProperties(document!.RootElement, null, "$", errors);
            EventParser.CheckProfile(traits, null, "$", errors);
            if (errors.Count > 0)
            {
                return Problems.Invalid("the profile was not changed", errors);
            }

            var now = time.GetUtcNow();
            var identify = new CustomerEvent($"profile:{Guid.NewGuid():N}", id, EventTypes.Identify, now, traits);
            var result = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).RecordAsync(ImmutableArray.Create(identify));
            return result.SuppressedIds.IsEmpty ? TypedResults.NoContent() : Suppressed(store, id);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string store, string id, HttpContext context, IGrainFactory grains)
    {
        id = RouteIds.Customer(context, id);
        if (!Ids.IsExternal(id))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var erased = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).EraseAsync();
        return erased ? TypedResults.NoContent() : Problems.NotFound($"no customer '{id}' in this store");
    }

    private static async Task<Results<Ok<ExportResponse>, ProblemHttpResult>> ExportAsync(
        string store, string id, HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        id = RouteIds.Customer(context, id, fromEnd: 1);
        if (!Ids.IsExternal(id))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var export = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).ExportAsync();
        return export is null ? Problems.NotFound($"no customer '{id}' in this store") : TypedResults.Ok(ExportResponse.From(export, time.GetUtcNow()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LiftSuppressionAsync(string store, string id, HttpContext context, IGrainFactory grains)
    {
        id = RouteIds.Customer(context, id);
        if (!Ids.IsExternal(id))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var lifted = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).LiftSuppressionAsync();
        return lifted ? TypedResults.NoContent() : Problems.NotFound($"no suppression of '{id}' in this store");
    }

    private static async Task<Results<Ok<MergeResponse>, ProblemHttpResult>> MergeAsync(
        string store, string id, HttpRequest request, IGrainFactory grains, CancellationToken ct)
    {
        id = RouteIds.Customer(request.HttpContext, id, fromEnd: 1);
        if (!Ids.IsExternal(id))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var (document, problem) = await JsonBody.ReadAsync(request, MaxMergeBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object
                || !root.TryGetProperty("secondaryId", out var secondary)
                || secondary.ValueKind != System.Text.Json.JsonValueKind.String
                || !Ids.IsExternal(secondary.GetString()!))
            {
                return Problems.Invalid("nothing was merged", [new FieldError(null, "secondaryId", "must be a customer id")]);
            }

            var result = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).MergeAsync(secondary.GetString()!);
            return Answer(result, id, secondary.GetString()!);
        }
    }

    private static async Task<Results<Ok<MergeResponse>, ProblemHttpResult>> UnmergeAsync(string store, string id, string secondary, HttpContext context, IGrainFactory grains)
    {
        id = RouteIds.Customer(context, id, fromEnd: 2);
        secondary = RouteIds.Customer(context, secondary);
        if (!Ids.IsExternal(id) || !Ids.IsExternal(secondary))
        {
            return Problems.BadRequest("the customer id is not valid");
        }

        var result = await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).UnmergeAsync(secondary);
        return Answer(result, id, secondary);
    }

    /// <summary>A merge's or unmerge's outcome: the customer as it is now, or why nothing changed.</summary>
    private static Results<Ok<MergeResponse>, ProblemHttpResult> Answer(MergeResult result, string id, string secondary) => result.Outcome switch
    {
        MergeOutcome.Merged or MergeOutcome.AlreadyMerged or MergeOutcome.Unmerged => TypedResults.Ok(new MergeResponse(result.Primary, result.MergedIds)),
        MergeOutcome.Self => Problems.BadRequest("a customer cannot be merged into itself: nothing was merged"),
        MergeOutcome.Blocked => Problems.BadRequest($"'{id}' or '{secondary}' is a blocked identifier value (Identity:BlockedIds): nothing was merged"),
        MergeOutcome.UnknownPrimary => Problems.NotFound($"no customer '{id}' in this store"),
        MergeOutcome.UnknownSecondary => Problems.NotFound($"no customer '{secondary}' in this store"),
        MergeOutcome.NotMerged => Problems.NotFound($"'{secondary}' is not merged directly into '{result.Primary}'"),
        MergeOutcome.Cycle => Problems.Conflict($"'{id}' is merged into '{secondary}': merging '{secondary}' into it would make a cycle; nothing was merged"),
        MergeOutcome.MergedElsewhere => Problems.Conflict($"'{secondary}' is merged into another customer: unmerge it there first; nothing was merged"),
        MergeOutcome.TooManyIds => Problems.Conflict($"'{result.Primary}' would answer for more ids than Identity:MaxIds allows; nothing was merged"),
        MergeOutcome.Suppressed => Problems.Conflict($"'{id}' or '{secondary}' was erased and is suppressed; nothing was merged"),
        MergeOutcome.Busy => Problems.Conflict($"'{secondary}' is taking part in another merge; nothing was changed, retry"),
        _ => Problems.Internal($"unexpected merge outcome {result.Outcome}"),
    };

    private static ProblemHttpResult Suppressed(string store, string id) =>
        Problems.Conflict($"'{id}' was erased and its id is suppressed: nothing was changed; lift it with DELETE /v1/stores/{store}/suppressions/{id} first");
}
