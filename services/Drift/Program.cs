using CreditRisk.Drift.Service.Cli;

if (args.Length > 0 && args[0] == CompareCommand.Name)
    return await CompareCommand.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApplicationEndpoints();

app.Run();
return 0;
