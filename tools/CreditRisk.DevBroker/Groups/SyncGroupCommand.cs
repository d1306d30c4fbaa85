namespace CreditRisk.DevBroker.Groups;

/// <summary>A parsed SyncGroup request; only the leader's carries assignments.</summary>
/// <param name="ProtocolType">Sent from v5 (KIP-559); null when absent, which skips the consistency check.</param>
/// <param name="ProtocolName">Sent from v5; null when absent.</param>
internal sealed record SyncGroupCommand(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyDictionary<string, byte[]> Assignments);
