using CreditRisk.Scenario;

return await ScenarioCommand.Create().Parse(args).InvokeAsync();
