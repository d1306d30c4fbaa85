namespace CreditRisk.DevBroker.Groups;

/// <summary>One group in DescribeGroups. An unknown group is described as Dead with no members, as Kafka does.</summary>
internal sealed record GroupDescription(
    string GroupId,
    GroupState State,
    string ProtocolType,
    string ProtocolData,
    IReadOnlyList<GroupMemberDescription> Members);
