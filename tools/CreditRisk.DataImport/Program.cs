using CreditRisk.DataImport;

return await ImportCommand.Create().Parse(args).InvokeAsync();
