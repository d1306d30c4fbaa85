using CreditRisk.Ingestion.Import;

// `dotnet run -- import --file data/credit_data.csv ...` runs the bulk import instead of the service.
if (args is ["import", .. var importArguments])
{
    return await ImportCommand.RunAsync(importArguments);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

await app.RunAsync();
return 0;
