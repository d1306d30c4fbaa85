using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Storage;

/// <summary>Outcome of a topic creation; <see cref="Config"/> is set when the request was valid (also for validate_only).</summary>
internal sealed record TopicCreationResult(ErrorCode Error, string? Message, int Partitions, TopicConfig? Config, TopicLog? Topic);
