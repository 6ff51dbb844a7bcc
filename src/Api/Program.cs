using CustomerGrains.Api.Endpoints;
using CustomerGrains.Api.Hosting;

// Configuration sits beside the binary, wherever the process is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// The listen address as ASP.NET Core reads it (--urls, ASPNETCORE_URLS, URLS or Urls, in configuration's order); this
// default applies only when none is given. (In appsettings.json it would outrank ASPNETCORE_URLS, read before it.)
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls(CustomerGrains.Grains.Hosting.CustomerGrainsOptions.DefaultApiUrls);
}

builder.AddCustomerGrainsHost();
builder.AddCustomerGrainsApi();
builder.AddCustomerGrainsObservability();

var app = builder.Build();
app.UseCustomerGrainsApi();
app.MapEventsApi();
app.MapCustomersApi();
app.MapSegmentsApi();
app.MapTrackingApi();
app.MapAdminApi();
app.MapKeysApi();
app.MapClassificationApi();
app.MapRetentionApi();
app.MapIdentityApi();
app.MapQualityApi();
app.MapModelApi();
app.MapLookalikeApi();
app.MapRankingApi();
app.MapChangesApi();
app.MapEffectivenessApi();
app.MapWebhooksApi();
app.MapHealthApi();
app.MapConsole();
app.MapObservability();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
