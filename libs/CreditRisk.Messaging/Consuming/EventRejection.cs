namespace CreditRisk.Messaging.Consuming;

/// <summary>A record of a batch its handler refuses for good (by its index in the batch): dead-lettered with the reason.</summary>
public sealed record EventRejection(int Index, string Reason);
