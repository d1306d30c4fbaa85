using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>The JoinGroup answer; <see cref="Members"/> is filled only for the leader.</summary>
internal sealed record JoinGroupResult(
    ErrorCode Error,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinedMember> Members)
{
    public static JoinGroupResult Failure(ErrorCode error, string memberId) =>
        new(error, GenerationId: -1, ProtocolType: null, ProtocolName: null, LeaderId: "", memberId, Members: []);
}
