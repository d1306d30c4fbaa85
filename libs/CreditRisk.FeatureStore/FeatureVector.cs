using System.Collections;
using System.Diagnostics.CodeAnalysis;
using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// One computed vector of a feature view: its values in the view's feature order, read like a name → value
/// dictionary. The stream processor makes one for every event and view it applies and both stores (and
/// FeatureVectorUpdated) take its encoding (<see cref="VectorCodec"/>), so it is made from that encoding and holds
/// only that: its <see cref="FeatureValue"/>s are decoded when first read. A vector made from values keeps its
/// encoding once made, for the second store.
/// </summary>
public sealed class FeatureVector : IReadOnlyDictionary<string, FeatureValue>
{
    private FeatureValue[]? _values;

    // The last encoding and the event time it was made for (both stores encode a row at the row's event time).
    // A reference, so that a reader on another thread sees the time and the bytes together.
    private Encoded? _encoded;

    internal FeatureVector(FeatureView view, FeatureValue[] values)
    {
        if (values.Length != view.Features.Count)
        {
            throw new ArgumentException($"{view.QualifiedName} has {view.Features.Count} features, not {values.Length}.", nameof(values));
        }
        View = view;
        _values = values;
    }

    /// <summary>A vector from its encoding at <paramref name="eventTimeMicros"/>, which holds the view's features in order.</summary>
    internal FeatureVector(FeatureView view, long eventTimeMicros, byte[] encoding)
    {
        View = view;
        _encoded = new Encoded(eventTimeMicros, encoding);
    }

    public FeatureView View { get; }

    public int Count => View.Features.Count;

    public FeatureValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{View.QualifiedName} has no feature '{key}'.");

    public IEnumerable<string> Keys => View.Features.Select(feature => feature.Name);

    public IEnumerable<FeatureValue> Values => OrderedValues;

    public bool ContainsKey(string key) => View.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out FeatureValue value)
    {
        var position = View.IndexOf(key);
        value = position >= 0 ? OrderedValues[position] : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, FeatureValue>> GetEnumerator()
    {
        var values = OrderedValues;
        for (var i = 0; i < values.Length; i++)
        {
            yield return new KeyValuePair<string, FeatureValue>(View.Features[i].Name, values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The values in the view's order (not copied: callers only read). Two threads may decode at once: same values.</summary>
    internal FeatureValue[] OrderedValues => _values ??= VectorCodec.DecodeOrdered(_encoded!.Blob, Count);

    internal byte[]? EncodedAt(long eventTimeMicros) => _encoded is { } encoded && encoded.EventTimeMicros == eventTimeMicros ? encoded.Blob : null;

    internal void KeepEncoding(long eventTimeMicros, byte[] blob) => _encoded = new Encoded(eventTimeMicros, blob);

    private sealed record Encoded(long EventTimeMicros, byte[] Blob);
}
