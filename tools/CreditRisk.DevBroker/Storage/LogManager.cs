using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using CreditRisk.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// All topics on disk (DataDirectory/topics/NAME/topic.json + NAME-N/ partition folders): creation, deletion,
/// lookup, the background retention loop and the "something was appended" signal that wakes long-polling
/// fetches. Implements <see cref="ITopicDirectory"/> for the group coordinator.
/// </summary>
internal sealed class LogManager : ITopicDirectory, IDisposable
{
    private readonly BrokerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly string _topicsDirectory;
    private readonly string _trashDirectory;
    private readonly ConcurrentDictionary<string, TopicLog> _topics = new(StringComparer.Ordinal);
    private readonly Lock _adminGate = new();
    private TaskCompletionSource _appended = NewSignal();

    public LogManager(BrokerOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LogManager>();
        _topicsDirectory = Path.Combine(options.DataDirectory, "topics");
        _trashDirectory = Path.Combine(options.DataDirectory, "trash");
    }

    public ICollection<TopicLog> Topics => _topics.Values;

    /// <summary>Opens every completely created topic; leftovers of interrupted creations or deletions are removed.</summary>
    public void Load()
    {
        Directory.CreateDirectory(_topicsDirectory);
        if (Directory.Exists(_trashDirectory))
        {
            Directory.Delete(_trashDirectory, recursive: true);
        }
        foreach (var directory in Directory.EnumerateDirectories(_topicsDirectory))
        {
            var metadata = TopicMetadataFile.Load(directory);
            if (metadata is null)
            {
                _logger.LogWarning("Removing {Directory}: topic creation did not complete", directory);
                Directory.Delete(directory, recursive: true);
                continue;
            }
            if (!TopicConfig.TryCreate(metadata.Configs, _options, out var config, out var error))
            {
                _logger.LogError("Skipping topic {Topic}: stored config is invalid ({Error})", metadata.Name, error);
                continue;
            }
            _topics[metadata.Name] = OpenTopic(metadata, config, directory);
        }
        _logger.LogInformation("Loaded {Count} topics from {Directory}", _topics.Count, _topicsDirectory);
    }

    private TopicLog OpenTopic(TopicMetadataFile metadata, TopicConfig config, string directory)
    {
        var logger = _loggerFactory.CreateLogger<PartitionLog>();
        var partitions = new PartitionLog[metadata.Partitions];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = PartitionLog.Open(metadata.Name, i, TopicLog.PartitionDirectory(directory, metadata.Name, i), logger);
        }
        return new TopicLog(metadata.Name, metadata.TopicId, config, directory, partitions);
    }

    public bool TryGetTopic(string name, [NotNullWhen(true)] out TopicLog? topic) => _topics.TryGetValue(name, out topic);

    public TopicLog? FindTopic(Guid topicId) => _topics.Values.FirstOrDefault(t => t.TopicId == topicId);

    public bool TryGetPartitionCount(string topic, out int partitionCount)
    {
        partitionCount = _topics.TryGetValue(topic, out var log) ? log.Partitions.Count : 0;
        return partitionCount > 0;
    }

    /// <summary>The topic, auto-creating it with the defaults when allowed; null when unknown or the name is invalid.</summary>
    public TopicLog? GetOrAutoCreate(string name, bool allowAutoCreate)
    {
        if (_topics.TryGetValue(name, out var topic))
        {
            return topic;
        }
        if (!allowAutoCreate || !_options.AutoCreateTopics || !TopicNames.IsValid(name, out _))
        {
            return null;
        }
        var created = CreateTopic(name, -1, new Dictionary<string, string>(), validateOnly: false);
        if (created.Topic is not null)
        {
            _logger.LogInformation("Auto-created topic {Topic} with {Partitions} partitions", name, created.Partitions);
        }
        return _topics.GetValueOrDefault(name);
    }

    /// <summary>Creates a topic (num_partitions -1 = default); errors as CreateTopics reports them.</summary>
    public TopicCreationResult CreateTopic(string name, int partitions, Dictionary<string, string> configs, bool validateOnly)
    {
        if (!TopicNames.IsValid(name, out var nameError))
        {
            return new TopicCreationResult(ErrorCode.InvalidTopicException, nameError, 0, null, null);
        }
        if (partitions == -1)
        {
            partitions = _options.DefaultPartitions;
        }
        if (partitions <= 0)
        {
            return new TopicCreationResult(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.", 0, null, null);
        }
        if (!TopicConfig.TryCreate(configs, _options, out var config, out var configError))
        {
            return new TopicCreationResult(ErrorCode.InvalidConfig, configError, 0, null, null);
        }
        lock (_adminGate)
        {
            if (_topics.ContainsKey(name))
            {
                return new TopicCreationResult(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists.", 0, null, null);
            }
            if (validateOnly)
            {
                return new TopicCreationResult(ErrorCode.None, null, partitions, config, null);
            }
            var directory = Path.Combine(_topicsDirectory, name);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
            Directory.CreateDirectory(directory);
            var metadata = new TopicMetadataFile(name, Guid.NewGuid(), partitions, configs);
            var topic = OpenTopic(metadata, config, directory);
            metadata.Save(directory);
            _topics[name] = topic;
            return new TopicCreationResult(ErrorCode.None, null, partitions, config, topic);
        }
    }

    public ErrorCode DeleteTopic(string name)
    {
        lock (_adminGate)
        {
            if (!_topics.TryRemove(name, out var topic))
            {
                return ErrorCode.UnknownTopicOrPartition;
            }
            topic.Dispose();
            // Move away first so a topic of the same name can be created at once; then delete.
            Directory.CreateDirectory(_trashDirectory);
            var trash = Path.Combine(_trashDirectory, Guid.NewGuid().ToString("N"));
            Directory.Move(topic.Directory, trash);
            try
            {
                Directory.Delete(trash, recursive: true);
            }
            catch (IOException e)
            {
                _logger.LogWarning(e, "Could not delete {Directory}; it is removed at the next start", trash);
            }
            _logger.LogInformation("Deleted topic {Topic}", name);
            return ErrorCode.None;
        }
    }

    /// <summary>Wakes every fetch waiting for data (after a produce request appended something).</summary>
    public void NotifyAppended() => Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();

    /// <summary>Completes at the next <see cref="NotifyAppended"/>; take it before checking for data to not miss one.</summary>
    public Task NextAppend => Volatile.Read(ref _appended).Task;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Deletes expired segments every RetentionCheckInterval until cancelled.</summary>
    public async Task RunRetentionAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RetentionCheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                ApplyRetention();
            }
        }
        catch (OperationCanceledException)
        {
            // Broker stopping.
        }
    }

    public void ApplyRetention()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                try
                {
                    partition.ApplyRetention(topic.Config, now);
                }
                catch (IOException e)
                {
                    _logger.LogWarning(e, "Retention failed for {Topic}-{Partition}", topic.Name, partition.Partition);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var topic in _topics.Values)
        {
            topic.Dispose();
        }
        _topics.Clear();
    }
}
