namespace CreditRisk.DevBroker.Groups;

/// <summary>One row of ListGroups.</summary>
internal sealed record GroupListing(string GroupId, string ProtocolType, GroupState State);
