using System.Collections.Immutable;
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

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/v1/stores/{store}/customers/{id}").WithTags("Customers");
        customers.MapGet("", GetAsync).RequireScope(Scopes.Read)
            .WithSummary("Profile, traits, classification and segments of one customer.");
        customers.MapPut("/profile", PutProfileAsync).RequireScope(Scopes.Ingest)
            .WithSummary("Set profile traits, as an identify event stamped now would; 204 once durable.");
        customers.MapDelete("", DeleteAsync).RequireScope(Scopes.Admin)
            .WithSummary("Erase the customer everywhere.");
        return app;
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
            await grains.GetGrain<ICustomerGrain>(GrainKeys.Customer(store, id)).RecordAsync(ImmutableArray.Create(identify));
            return TypedResults.NoContent();
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
}
