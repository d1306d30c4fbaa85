using System.Collections;
using System.Diagnostics.CodeAnalysis;
using CreditRisk.Modeling.Models;

namespace CreditRisk.Scoring.Models;

/// <summary>Values in a model's input order, read by name as <see cref="CreditRiskModel.Score"/> asks, without copying them into a dictionary.</summary>
internal sealed class InputVector(IReadOnlyList<ModelInput> inputs, IReadOnlyList<object?> values) : IReadOnlyDictionary<string, object?>
{
    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => inputs.Select(input => input.Name);

    public IEnumerable<object?> Values => values;

    public int Count => inputs.Count;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            yield return new KeyValuePair<string, object?>(inputs[i].Name, values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The model asks for its inputs in order, so the next position is almost always the answer.
    private int _next;

    private int IndexOf(string key)
    {
        if (_next < inputs.Count && inputs[_next].Name == key)
        {
            return _next++;
        }
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Name == key)
            {
                _next = i + 1;
                return i;
            }
        }
        return -1;
    }
}
