namespace CreditRisk.Training.Pipeline;

/// <summary>A line a step wrote with <see cref="StepContext.Log"/>.</summary>
public sealed record StepLogRecord(string StepName, DateTimeOffset LoggedAt, string Message);
