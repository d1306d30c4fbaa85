using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The window state of one customer: the raw events (time, measure, id) of every streaming source that can still
/// matter, and the pure functions over them. The stream processor keeps one per customer key, snapshots it with
/// <see cref="ToBytes"/> and restores it with <see cref="FromBytes"/>.
/// <para>Semantics (event time, deterministic — the same events in any order within the lateness give the same
/// state and values):</para>
/// <list type="bullet">
/// <item><see cref="Watermark"/> is the latest event time accepted for this customer.</item>
/// <item>An event is accepted when its event time ≥ watermark − <see cref="AllowedLateness"/> (inclusive);
/// older ones are <see cref="ApplyOutcome.TooLate"/>. An event id already held is a
/// <see cref="ApplyOutcome.Duplicate"/>.</item>
/// <item>Retention (the bound): events with time ≤ watermark − lateness − <see cref="Retention"/> are dropped, where
/// the retention is the longest window of the streaming views. Computing at any asOf ≥ watermark − lateness
/// therefore sees every event its windows need. A replayed evicted event is TooLate, never double counted.</item>
/// <item>Windows are half-open: (asOf − window, asOf].</item>
/// </list>
/// </summary>
public sealed class CustomerFeatureState
{
    /// <summary>Default allowed lateness: one day.</summary>
    public static readonly TimeSpan DefaultAllowedLateness = TimeSpan.FromDays(1);

    private const int FormatVersion = 2;
    private static readonly byte[] Magic = "CFS"u8.ToArray();
    private const long MicrosPerDay = 86_400_000_000L;

    private readonly SortedEvents[] _events =
    [
        new(), // LoanApplicationSubmitted
        new(), // TransactionRecorded
        new(), // RepaymentRecorded
    ];
    private readonly HashSet<WindowEventId> _eventIds = [];
    private long _watermark = long.MinValue;
    // Latest delinquency (measure > 0) per source that retention already dropped: keeps
    // DaysSinceLastPositive exact beyond the windows.
    private readonly long[] _evictedLastPositive = [long.MinValue, long.MinValue, long.MinValue];

    public CustomerFeatureState(string customerId, TimeSpan? allowedLateness = null, TimeSpan? retention = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        CustomerId = customerId;
        AllowedLateness = allowedLateness ?? DefaultAllowedLateness;
        Retention = retention ?? DefaultRetention;
        if (AllowedLateness < TimeSpan.Zero || Retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(allowedLateness), "Lateness must be ≥ 0 and retention > 0.");
        }
    }

    /// <summary>The longest window of any streaming view (90 days in version 1).</summary>
    public static TimeSpan DefaultRetention { get; } =
        FeatureRegistry.StreamingViews.Select(view => view.LongestWindow).Max();

    public string CustomerId { get; }

    public TimeSpan AllowedLateness { get; }

    public TimeSpan Retention { get; }

    /// <summary>Latest accepted event time; null before the first event.</summary>
    public DateTimeOffset? Watermark => _watermark == long.MinValue ? null : FeatureTime.FromUnixMicroseconds(_watermark);

    /// <summary>Number of events held (all sources).</summary>
    public int EventCount => _eventIds.Count;

    public ApplyOutcome Apply(TransactionRecorded transaction) => Apply(CustomerEvent.From(transaction));

    public ApplyOutcome Apply(RepaymentRecorded repayment) => Apply(CustomerEvent.From(repayment));

    public ApplyOutcome Apply(LoanApplicationSubmitted application) => Apply(CustomerEvent.From(application));

    public ApplyOutcome Apply(IIntegrationEvent integrationEvent) => Apply(CustomerEvent.From(integrationEvent));

    /// <summary>Adds an event unless it is a duplicate or beyond the allowed lateness.</summary>
    public ApplyOutcome Apply(CustomerEvent customerEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerEvent.EventId, nameof(customerEvent.EventId));
        var time = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(customerEvent.EventTime));
        var key = WindowEventId.From(customerEvent.EventId);
        if (_eventIds.Contains(key))
        {
            return ApplyOutcome.Duplicate;
        }
        if (_watermark != long.MinValue && time < _watermark - Micros(AllowedLateness))
        {
            return ApplyOutcome.TooLate;
        }
        _events[(int)customerEvent.Source].Insert(new Entry(time, customerEvent.Measure, key));
        _eventIds.Add(key);
        if (time > _watermark)
        {
            _watermark = time;
            Evict();
        }
        return ApplyOutcome.Accepted;
    }

    /// <summary>The values of a customer view at <paramref name="asOf"/>, keyed by feature name.</summary>
    public FeatureVector Compute(FeatureView view, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Entity != Entities.Customer)
        {
            throw new ArgumentException($"{view.QualifiedName} is not a customer view; compute it with its own function.", nameof(view));
        }
        var events = _events[(int)view.Source];
        var asOfMicros = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(asOf));
        // Written straight into the stores' encoding: no FeatureValue per value (see VectorCodec.Writer).
        var writer = new VectorCodec.Writer(view, asOfMicros);
        // One scan per window, whatever the number of its aggregations (a view has a few per window).
        Span<WindowStats> windows = stackalloc WindowStats[MaxWindowsPerView];
        var windowCount = 0;
        foreach (var feature in view.Features)
        {
            if (feature.Aggregation == Aggregation.DaysSinceLastPositive)
            {
                if (DaysSinceLastPositive(view.Source, events, asOfMicros) is { } days)
                {
                    writer.WriteInt64(days);
                }
                else
                {
                    writer.WriteNull();
                }
            }
            else
            {
                WriteTyped(ref writer, Stats(feature, events, asOfMicros, windows, ref windowCount).Aggregate(feature), feature.ValueType);
            }
        }
        return new FeatureVector(view, asOfMicros, writer.ToArray());
    }

    /// <summary><see cref="Compute"/> at the <see cref="Watermark"/>: the customer's current vector.</summary>
    public FeatureVector ComputeLatest(FeatureView view) =>
        Compute(view, Watermark ?? throw new InvalidOperationException("The state holds no event yet."));

    private const int MaxWindowsPerView = 8;

    /// <summary>The statistics of <paramref name="feature"/>'s window: from <paramref name="windows"/> when its window was scanned already.</summary>
    private static WindowStats Stats(FeatureDefinition feature, SortedEvents events, long asOf, Span<WindowStats> windows, ref int windowCount)
    {
        var window = Micros(feature.Window ?? throw new InvalidOperationException($"Feature {feature.Name} has no window."));
        foreach (var scanned in windows[..windowCount])
        {
            if (scanned.Window == window)
            {
                return scanned;
            }
        }
        var stats = WindowStats.Scan(window, events, asOf);
        if (windowCount < windows.Length)
        {
            windows[windowCount++] = stats;
        }
        return stats;
    }

    /// <summary>What every window aggregation is computed from: one scan of the window's events.</summary>
    private readonly record struct WindowStats(long Window, long Count, double Sum, double Max, long Positive, long Zero)
    {
        public static WindowStats Scan(long window, SortedEvents events, long asOf)
        {
            var (start, end) = events.Range(asOf - window, asOf);
            long positive = 0, zero = 0;
            double sum = 0, max = double.NegativeInfinity;
            for (var i = start; i < end; i++)
            {
                var measure = events[i].Measure;
                sum += measure;
                if (measure > max)
                {
                    max = measure;
                }
                if (measure > 0)
                {
                    positive++;
                }
                else if (measure == 0)
                {
                    zero++;
                }
            }
            return new WindowStats(window, end - start, sum, max, positive, zero);
        }

        public double? Aggregate(FeatureDefinition feature) => feature.Aggregation switch
        {
            Aggregation.Count => Count,
            Aggregation.Sum => Sum,
            Aggregation.Mean => Count == 0 ? null : Sum / Count,
            Aggregation.Max => Count == 0 ? null : Max,
            Aggregation.CountPositive => Positive,
            Aggregation.ZeroRatio => Count == 0 ? null : (double)Zero / Count,
            _ => throw new InvalidOperationException($"Aggregation {feature.Aggregation} is not a window aggregation."),
        };
    }

    private long? DaysSinceLastPositive(SourceEvent source, SortedEvents events, long asOf)
    {
        var last = _evictedLastPositive[(int)source] <= asOf ? _evictedLastPositive[(int)source] : long.MinValue;
        var (_, end) = events.Range(long.MinValue, asOf);
        for (var i = end - 1; i >= 0; i--)
        {
            if (events[i].Measure > 0)
            {
                last = Math.Max(last, events[i].Time);
                break;
            }
        }
        return last == long.MinValue ? null : (asOf - last) / MicrosPerDay;
    }

    private static void WriteTyped(ref VectorCodec.Writer writer, double? value, FeatureValueType type)
    {
        if (value is not { } v)
        {
            writer.WriteNull();
            return;
        }
        switch (type)
        {
            case FeatureValueType.Int64:
                writer.WriteInt64((long)v);
                break;
            case FeatureValueType.Double:
                writer.WriteDouble(v);
                break;
            case FeatureValueType.Bool:
                writer.WriteBool(v != 0);
                break;
            default:
                throw new InvalidOperationException($"A window aggregation cannot produce {type}.");
        }
    }

    private void Evict()
    {
        var horizon = _watermark - Micros(AllowedLateness) - Micros(Retention);
        for (var source = 0; source < _events.Length; source++)
        {
            var events = _events[source];
            // Most advances of the watermark evict nothing: check the oldest event before searching.
            if (events.Count == 0 || events[0].Time > horizon)
            {
                continue;
            }
            var (_, end) = events.Range(long.MinValue, horizon);
            for (var i = 0; i < end; i++)
            {
                if (events[i].Measure > 0 && events[i].Time > _evictedLastPositive[source])
                {
                    _evictedLastPositive[source] = events[i].Time;
                }
                _eventIds.Remove(events[i].Id);
            }
            events.RemoveFirst(end);
        }
    }

    private static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>A compact, deterministic binary snapshot (same state → same bytes).</summary>
    public byte[] ToBytes()
    {
        // Written once into a pooled buffer sized for the worst case, then copied out exactly: a checkpoint
        // serialises every changed customer. Event ids in the canonical UUID form take 16 bytes instead of 37.
        var bound = Magic.Length + 1 + 4 + Encoding.UTF8.GetMaxByteCount(CustomerId.Length) + 8 + 8 + 8 + 8 * _evictedLastPositive.Length;
        foreach (var events in _events)
        {
            bound += 4;
            for (var i = 0; i < events.Count; i++)
            {
                bound += 8 + 8 + 1 + (events[i].Id.Text is { } text ? 2 + Encoding.UTF8.GetMaxByteCount(text.Length) : 16);
            }
        }
        var buffer = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            var writer = new SpanWriter(buffer);
            writer.Write(Magic);
            writer.Write((byte)FormatVersion);
            writer.Write(CustomerId, 4);
            writer.Write(AllowedLateness.Ticks);
            writer.Write(Retention.Ticks);
            writer.Write(_watermark);
            foreach (var last in _evictedLastPositive)
            {
                writer.Write(last);
            }
            foreach (var events in _events)
            {
                writer.Write(events.Count);
                for (var i = 0; i < events.Count; i++)
                {
                    writer.Write(events[i].Time);
                    writer.Write(BitConverter.DoubleToInt64Bits(events[i].Measure));
                    if (events[i].Id.Text is { } text)
                    {
                        writer.Write(TextId);
                        writer.Write(text, 2);
                    }
                    else
                    {
                        writer.Write(UuidId);
                        writer.Write(events[i].Id.Uuid);
                    }
                }
            }
            return buffer.AsSpan(0, writer.Written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private const byte UuidId = 0;
    private const byte TextId = 1;

    /// <summary>Restores a snapshot written by <see cref="ToBytes"/> (this format or the first one).</summary>
    public static CustomerFeatureState FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + 1 || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new FormatException("Not a customer feature state snapshot.");
        }
        return bytes[Magic.Length] switch
        {
            var version and (1 or FormatVersion) => Read(bytes[(Magic.Length + 1)..], version),
            var version => throw new FormatException($"Unsupported customer feature state format {version}."),
        };
    }

    /// <summary>
    /// Format 2, or format 1 (still in checkpoints stored before format 2): the same fields, but strings as
    /// BinaryWriter writes them (7-bit encoded length) and every event id as a string.
    /// </summary>
    private static CustomerFeatureState Read(ReadOnlySpan<byte> bytes, int version)
    {
        var reader = new SpanReader(bytes);
        var state = new CustomerFeatureState(
            version == 1 ? reader.ReadPrefixedString() : reader.ReadString(4),
            TimeSpan.FromTicks(reader.ReadInt64()),
            TimeSpan.FromTicks(reader.ReadInt64()));
        state._watermark = reader.ReadInt64();
        for (var source = 0; source < state._evictedLastPositive.Length; source++)
        {
            state._evictedLastPositive[source] = reader.ReadInt64();
        }
        foreach (var events in state._events)
        {
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var time = reader.ReadInt64();
                var measure = BitConverter.Int64BitsToDouble(reader.ReadInt64());
                var eventId = version == 1 ? WindowEventId.From(reader.ReadPrefixedString()) : reader.ReadByte() switch
                {
                    UuidId => new WindowEventId(reader.ReadGuid(), null),
                    TextId => WindowEventId.From(reader.ReadString(2)),
                    var kind => throw new FormatException($"Unknown event id kind {kind} in a customer feature state."),
                };
                events.Insert(new Entry(time, measure, eventId));
                state._eventIds.Add(eventId);
            }
        }
        if (!reader.AtEnd)
        {
            throw new FormatException("Trailing bytes after a customer feature state.");
        }
        return state;
    }

    /// <summary>Little-endian fixed-width writes into a buffer large enough for them.</summary>
    private ref struct SpanWriter(Span<byte> bytes)
    {
        private readonly Span<byte> _bytes = bytes;
        private int _offset;

        public readonly int Written => _offset;

        public void Write(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_bytes[_offset..]);
            _offset += value.Length;
        }

        public void Write(byte value) => _bytes[_offset++] = value;

        public void Write(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_bytes[_offset..], value);
            _offset += 4;
        }

        public void Write(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_bytes[_offset..], value);
            _offset += 8;
        }

        public void Write(Guid value)
        {
            value.TryWriteBytes(_bytes[_offset..], bigEndian: true, out _);
            _offset += 16;
        }

        /// <summary>UTF-8 after its byte length in <paramref name="lengthBytes"/> (2 or 4) bytes.</summary>
        public void Write(string value, int lengthBytes)
        {
            var length = Encoding.UTF8.GetBytes(value, _bytes[(_offset + lengthBytes)..]);
            if (lengthBytes == 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(_bytes[_offset..], checked((ushort)length));
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(_bytes[_offset..], length);
            }
            _offset += lengthBytes + length;
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _offset;

        public readonly bool AtEnd => _offset == _bytes.Length;

        public byte ReadByte() => Take(1)[0];

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public Guid ReadGuid() => new(Take(16), bigEndian: true);

        public string ReadString(int lengthBytes)
        {
            var length = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Take(2)) : ReadInt32();
            return Encoding.UTF8.GetString(Take(length));
        }

        /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it: UTF-8 after a 7-bit encoded length.</summary>
        public string ReadPrefixedString()
        {
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 28)
                {
                    throw new FormatException("A string length in a customer feature state is malformed.");
                }
                var b = ReadByte();
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }
            return Encoding.UTF8.GetString(Take(length));
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || _bytes.Length - _offset < count)
            {
                throw new FormatException("A customer feature state ends early.");
            }
            var taken = _bytes.Slice(_offset, count);
            _offset += count;
            return taken;
        }
    }

    private readonly record struct Entry(long Time, double Measure, WindowEventId Id);

    /// <summary>Events ordered by (time, event id): a stable order makes floating-point sums deterministic.</summary>
    private sealed class SortedEvents
    {
        private readonly List<Entry> _entries = [];

        public int Count => _entries.Count;

        public Entry this[int index] => _entries[index];

        public void Insert(Entry entry)
        {
            var index = _entries.Count;
            // Usually in order: walk back from the end.
            while (index > 0 && Compare(_entries[index - 1], entry) > 0)
            {
                index--;
            }
            _entries.Insert(index, entry);
        }

        /// <summary>Indexes [start, end) of the events with from &lt; time ≤ to.</summary>
        public (int Start, int End) Range(long from, long to) => (UpperBound(from), UpperBound(to));

        public void RemoveFirst(int count)
        {
            if (count > 0)
            {
                _entries.RemoveRange(0, count);
            }
        }

        // First index whose time > value.
        private int UpperBound(long value)
        {
            int low = 0, high = _entries.Count;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (_entries[middle].Time <= value)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            return low;
        }

        private static int Compare(Entry left, Entry right)
        {
            var byTime = left.Time.CompareTo(right.Time);
            return byTime != 0 ? byTime : WindowEventId.CompareOrdinal(left.Id, right.Id);
        }
    }
}
