using CreditRisk.Training.PipelineTestHost;

// The training service's Program.cs with the test steps: ConnectionStrings__Postgres, Kafka__BootstrapServers and
// Training__* from the environment, as the service takes them.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddPipelineTestSteps();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

await app.RunAsync();
