using System.Globalization;
using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>
/// DescribeConfigs v1–4 for topics (stored overrides plus effective defaults) and for this broker (the
/// settings it runs with, read-only). Other resource types are answered with INVALID_REQUEST.
/// </summary>
internal sealed class DescribeConfigsHandler(LogManager logs, BrokerOptions options, BrokerIdentity identity) : IApiHandler
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    /// <summary>config_type (v3+) of the configs we report; anything else is reported as STRING.</summary>
    private static readonly Dictionary<string, sbyte> ConfigTypes = new(StringComparer.Ordinal)
    {
        ["retention.ms"] = 5, ["retention.bytes"] = 5, ["segment.bytes"] = 3, ["segment.ms"] = 5,
        ["max.message.bytes"] = 3, ["min.insync.replicas"] = 3, ["cleanup.policy"] = 7,
        ["log.retention.ms"] = 5, ["log.retention.bytes"] = 5, ["log.segment.bytes"] = 3, ["num.partitions"] = 3,
        ["auto.create.topics.enable"] = 1, ["default.replication.factor"] = 3, ["offsets.topic.replication.factor"] = 4,
        ["message.max.bytes"] = 3, ["broker.id"] = 3, ["log.dirs"] = 2, ["socket.request.max.bytes"] = 3,
        ["group.initial.rebalance.delay.ms"] = 3,
    };

    public ApiKey Key => ApiKey.DescribeConfigs;
    public short MinVersion => 1;
    public short MaxVersion => 4;
    public short FirstFlexibleVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        var resources = request.ReadArray(flexible, r =>
        {
            var type = r.ReadInt8();
            var name = r.ReadString(flexible);
            var keysCount = r.ReadArrayLength(flexible);
            HashSet<string>? keys = keysCount < 0 ? null : new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < keysCount; i++)
            {
                keys!.Add(r.ReadString(flexible));
            }
            r.SkipTaggedFields(flexible);
            return (Type: type, Name: name, Keys: keys);
        });
        var includeSynonyms = request.ReadBool();
        if (version >= 3)
        {
            _ = request.ReadBool(); // include_documentation: none to give
        }
        request.SkipTaggedFields(flexible);

        response.WriteInt32(0); // throttle_time_ms
        response.WriteArrayLength(resources.Count, flexible);
        foreach (var (type, name, keys) in resources)
        {
            var (error, message, configs) = Describe(type, name);
            response.WriteInt16((short)error);
            response.WriteString(message, flexible);
            response.WriteInt8(type);
            response.WriteString(name, flexible);
            var selected = configs.Where(c => keys is null || keys.Count == 0 || keys.Contains(c.Name)).ToList();
            response.WriteArrayLength(selected.Count, flexible);
            foreach (var config in selected)
            {
                WriteConfig(response, config, version, flexible, includeSynonyms);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    private (ErrorCode, string?, IEnumerable<DescribedConfig>) Describe(sbyte type, string name)
    {
        switch (type)
        {
            case TopicResource when logs.TryGetTopic(name, out var topic):
                return (ErrorCode.None, null, topic.Config.Describe().Select(c =>
                    new DescribedConfig(c.Name, c.Value, c.IsOverride ? ConfigSource.DynamicTopicConfig : ConfigSource.DefaultConfig, false)));
            case TopicResource:
                return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", []);
            case BrokerResource when name.Length == 0 || name == identity.NodeId.ToString(CultureInfo.InvariantCulture):
                return (ErrorCode.None, null, BrokerConfigs());
            case BrokerResource:
                return (ErrorCode.InvalidRequest, $"Unexpected broker id, expected {identity.NodeId} but received {name}", []);
            default:
                return (ErrorCode.InvalidRequest, $"Unsupported resource type {type}", []);
        }
    }

    private IEnumerable<DescribedConfig> BrokerConfigs()
    {
        static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        (string, string)[] settings =
        [
            ("broker.id", Text(identity.NodeId)),
            ("log.dirs", options.DataDirectory),
            ("num.partitions", Text(options.DefaultPartitions)),
            ("auto.create.topics.enable", options.AutoCreateTopics ? "true" : "false"),
            ("log.segment.bytes", Text(options.SegmentBytes)),
            ("log.retention.bytes", Text(options.RetentionBytes)),
            ("log.retention.ms", Text(options.RetentionMs)),
            ("socket.request.max.bytes", Text(options.MaxRequestBytes)),
            ("group.initial.rebalance.delay.ms", Text((long)options.GroupInitialRebalanceDelay.TotalMilliseconds)),
            ("default.replication.factor", "1"),
            ("offsets.topic.replication.factor", "1"),
            ("min.insync.replicas", "1"),
            ("message.max.bytes", "1048588"),
        ];
        return settings.Select(s => new DescribedConfig(s.Item1, s.Item2, ConfigSource.StaticBrokerConfig, true));
    }

    private static void WriteConfig(KafkaWriter response, DescribedConfig config, short version, bool flexible, bool includeSynonyms)
    {
        response.WriteString(config.Name, flexible);
        response.WriteString(config.Value, flexible);
        response.WriteBool(config.ReadOnly);
        response.WriteInt8((sbyte)config.Source);
        response.WriteBool(false); // is_sensitive
        response.WriteArrayLength(includeSynonyms ? 1 : 0, flexible);
        if (includeSynonyms)
        {
            response.WriteString(config.Name, flexible);
            response.WriteString(config.Value, flexible);
            response.WriteInt8((sbyte)config.Source);
            response.WriteEmptyTaggedFields(flexible);
        }
        if (version >= 3)
        {
            response.WriteInt8(ConfigTypes.GetValueOrDefault(config.Name, (sbyte)2));
            response.WriteString(null, flexible); // documentation
        }
        response.WriteEmptyTaggedFields(flexible);
    }
}
