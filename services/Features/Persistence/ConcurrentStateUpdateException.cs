namespace CreditRisk.Features.Persistence;

/// <summary>Another processor instance wrote the same customers meanwhile (e.g. during a rebalance): redo the batch from fresh state.</summary>
public sealed class ConcurrentStateUpdateException(string message, Exception? inner = null) : Exception(message, inner);
