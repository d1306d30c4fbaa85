var builder = DistributedApplication.CreateBuilder(args);

builder.AddCreditRiskPlatform();

builder.Build().Run();
