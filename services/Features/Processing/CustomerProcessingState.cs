using System.Text;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore;

namespace CreditRisk.Features.Processing;

/// <summary>
/// What the processor keeps per customer: the library's window state, the key of the latest vector of each
/// customer view (the row the online store holds), and the version of the stored copy it was read from.
/// </summary>
public sealed class CustomerProcessingState(CustomerFeatureState features, long version, Dictionary<string, LatestVector> latest)
{
    public CustomerFeatureState Features { get; } = features;

    /// <summary>Version of the stored row this state was read from (0 = none stored yet).</summary>
    public long Version { get; private set; } = version;

    /// <summary>Per customer view: which row is its latest vector.</summary>
    public Dictionary<string, LatestVector> Latest { get; } = latest;

    /// <summary>
    /// While a batch is applied (consume thread): per customer view it changed, the row that is its latest vector
    /// — kept here rather than in a map per batch, which at thousands of entries went to the large object heap
    /// every batch. <see cref="BatchLatestOwner"/> is the batch they belong to.
    /// </summary>
    internal List<(FeatureView View, FeatureRow Row)> BatchLatest { get; } = new(1);

    internal BatchWrites? BatchLatestOwner { get; set; }

    /// <summary>Changed since it was read: the batch must store it.</summary>
    public bool Dirty { get; set; }

    public string CustomerId => Features.CustomerId;

    /// <summary>The customer's entity key, one for all its rows (the stores and the publisher only read it).</summary>
    public EntityKey Entity { get; } = FeatureBatchProcessor.CustomerKey(features.CustomerId);

    public static CustomerProcessingState New(string customerId, TimeSpan allowedLateness) =>
        new(new CustomerFeatureState(customerId, allowedLateness), 0, new Dictionary<string, LatestVector>(StringComparer.Ordinal));

    /// <summary>
    /// The state as the next checkpoint stores it (version + 1). From here on this copy counts as that version and
    /// as clean; if the checkpoint then fails on a conflict, every state is dropped and read again anyway.
    /// </summary>
    public StateSnapshot Snapshot()
    {
        Version++;
        Dirty = false;
        return new StateSnapshot(CustomerId, Version, Features.ToBytes(), LatestToBytes());
    }

    public byte[] LatestToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Latest.Count);
            foreach (var (view, vector) in Latest.OrderBy(entry => entry.Key, StringComparer.Ordinal))
            {
                writer.Write(view);
                writer.Write(FeatureTime.ToUnixMicroseconds(vector.EventTime));
                writer.Write(FeatureTime.ToUnixMicroseconds(vector.CreatedTime));
                writer.Write(vector.EventId);
            }
        }
        return stream.ToArray();
    }

    public static CustomerProcessingState FromStored(long version, byte[] state, byte[] latest)
    {
        var vectors = new Dictionary<string, LatestVector>(StringComparer.Ordinal);
        using var reader = new BinaryReader(new MemoryStream(latest, writable: false), Encoding.UTF8);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var view = reader.ReadString();
            vectors[view] = new LatestVector(
                FeatureTime.FromUnixMicroseconds(reader.ReadInt64()),
                FeatureTime.FromUnixMicroseconds(reader.ReadInt64()),
                reader.ReadString());
        }
        return new CustomerProcessingState(CustomerFeatureState.FromBytes(state), version, vectors);
    }
}

/// <summary>A customer's state serialised for a checkpoint, as version <paramref name="Version"/>.</summary>
public sealed record StateSnapshot(string CustomerId, long Version, byte[] State, byte[] Latest);

/// <summary>The key of a view's latest vector: the offline row with this (event time, created time, event id).</summary>
public readonly record struct LatestVector(DateTimeOffset EventTime, DateTimeOffset CreatedTime, string EventId);
