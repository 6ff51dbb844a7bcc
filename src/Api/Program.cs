using CustomerGrains.Api.Endpoints;
using CustomerGrains.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCustomerGrainsHost();
builder.AddCustomerGrainsApi();

var app = builder.Build();
app.UseCustomerGrainsApi();
app.MapEventsApi();
app.MapCustomersApi();
app.MapSegmentsApi();
app.MapHealthApi();
app.Run();

/// <summary>Entry point, visible to the end-to-end tests.</summary>
public partial class Program;
