namespace CreditRisk.DevBroker.Groups;

/// <summary>A parsed JoinGroup request, independent of its wire version.</summary>
/// <param name="RequireKnownMemberId">
/// True from v4: a first join with an empty member id is answered with MEMBER_ID_REQUIRED and a fresh id
/// (KIP-394), so a client that times out cannot leave anonymous members behind.
/// </param>
internal sealed record JoinGroupCommand(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    bool RequireKnownMemberId);
