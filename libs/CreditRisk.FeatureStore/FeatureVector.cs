using System.Collections;
using System.Diagnostics.CodeAnalysis;
using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// One computed vector of a feature view: its values in the view's feature order, read like a name → value
/// dictionary. The stream processor makes one for every event it applies and both stores encode it, so it is an
/// array in the view's order (names come from the view) rather than a hash table, and it keeps its encoding
/// (<see cref="VectorCodec"/>) for the second store.
/// </summary>
public sealed class FeatureVector : IReadOnlyDictionary<string, FeatureValue>
{
    private readonly FeatureValue[] _values;

    // The last encoding and the event time it was made for (both stores encode a row at the row's event time).
    private (long EventTimeMicros, byte[] Blob)? _encoded;

    internal FeatureVector(FeatureView view, FeatureValue[] values)
    {
        if (values.Length != view.Features.Count)
        {
            throw new ArgumentException($"{view.QualifiedName} has {view.Features.Count} features, not {values.Length}.", nameof(values));
        }
        View = view;
        _values = values;
    }

    public FeatureView View { get; }

    public int Count => _values.Length;

    public string NameAt(int position) => View.Features[position].Name;

    public FeatureValue ValueAt(int position) => _values[position];

    public FeatureValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"{View.QualifiedName} has no feature '{key}'.");

    public IEnumerable<string> Keys => View.Features.Select(feature => feature.Name);

    public IEnumerable<FeatureValue> Values => _values;

    public bool ContainsKey(string key) => View.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out FeatureValue value)
    {
        var position = View.IndexOf(key);
        value = position >= 0 ? _values[position] : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, FeatureValue>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return new KeyValuePair<string, FeatureValue>(View.Features[i].Name, _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The values in the view's order (not copied: callers only read).</summary>
    internal FeatureValue[] OrderedValues => _values;

    internal byte[]? EncodedAt(long eventTimeMicros) => _encoded is { } encoded && encoded.EventTimeMicros == eventTimeMicros ? encoded.Blob : null;

    // Two writers may encode at once: both produce the same bytes, and either assignment is whole.
    internal void KeepEncoding(long eventTimeMicros, byte[] blob) => _encoded = (eventTimeMicros, blob);
}
