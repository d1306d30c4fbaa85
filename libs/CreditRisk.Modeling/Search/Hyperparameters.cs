using System.Globalization;

namespace CreditRisk.Modeling.Search;

/// <summary>One point of a search space, by parameter name.</summary>
public sealed class Hyperparameters(IReadOnlyDictionary<string, double> values)
{
    public IReadOnlyDictionary<string, double> Values { get; } = values;

    public double this[string name] => Values[name];

    public int Integer(string name) => (int)Math.Round(Values[name]);

    public float Single(string name) => (float)Values[name];

    public override string ToString() =>
        string.Join(" ", Values.Select(pair => $"{pair.Key}={pair.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
