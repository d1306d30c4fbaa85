namespace CreditRisk.DevBroker.Groups;

/// <summary>One member in DescribeGroups; metadata and assignment are empty unless the group is Stable.</summary>
internal sealed record GroupMemberDescription(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    byte[] Metadata,
    byte[] Assignment);
