using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>The SyncGroup answer: this member's assignment bytes, passed through from the leader.</summary>
internal sealed record SyncGroupResult(ErrorCode Error, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupResult Failure(ErrorCode error) => new(error, null, null, []);
}
