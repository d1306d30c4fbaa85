using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Storage;

/// <summary>Outcome of appending one partition's record set from a Produce request.</summary>
internal readonly record struct AppendResult(ErrorCode Error, long BaseOffset, long LogAppendTime, long LogStartOffset, string? ErrorMessage = null);
