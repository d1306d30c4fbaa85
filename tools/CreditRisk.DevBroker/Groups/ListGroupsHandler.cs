using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// ListGroups v0–5. v4 filters by state, v5 by type; every group here is a "classic" group, so a type
/// filter without "classic" lists nothing.
/// </summary>
internal sealed class ListGroupsHandler(GroupCoordinator coordinator) : IApiHandler
{
    private const string ClassicGroupType = "classic";

    public ApiKey Key => ApiKey.ListGroups;
    public short MinVersion => 0;
    public short MaxVersion => 5;
    public short FirstFlexibleVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var statesFilter = version >= 4 ? request.ReadArray(flexible, r => r.ReadString(flexible)) : [];
        var typesFilter = version >= 5 ? request.ReadArray(flexible, r => r.ReadString(flexible)) : [];
        request.SkipTaggedFields(flexible);

        var groups = coordinator.ListGroups()
            .Where(group => statesFilter.Count == 0
                || statesFilter.Contains(group.State.ToString(), StringComparer.OrdinalIgnoreCase))
            .Where(_ => typesFilter.Count == 0
                || typesFilter.Contains(ClassicGroupType, StringComparer.OrdinalIgnoreCase))
            .ToList();

        if (version >= 1)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteInt16((short)ErrorCode.None);
        response.WriteArray(groups, flexible, (writer, group) =>
        {
            writer.WriteString(group.GroupId, flexible);
            writer.WriteString(group.ProtocolType, flexible);
            if (version >= 4)
            {
                writer.WriteString(group.State.ToString(), flexible);
            }
            if (version >= 5)
            {
                writer.WriteString(ClassicGroupType, flexible);
            }
            writer.WriteEmptyTaggedFields(flexible);
        });
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
