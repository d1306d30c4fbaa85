namespace CreditRisk.DevBroker.Groups;

/// <summary>One identity in a LeaveGroup request (v3+ batches them; earlier versions send one member id).</summary>
internal sealed record LeavingMember(string MemberId, string? GroupInstanceId);
