using CreditRisk.Ingestion.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<IngestionGrpcService>();
await app.RunAsync();
return 0;
