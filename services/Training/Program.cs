using CreditRisk.Training.Commands;

if (TrainingCommandLine.IsCommand(args))
{
    return await TrainingCommandLine.InvokeAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

await app.RunAsync();
return 0;
