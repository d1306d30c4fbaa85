namespace CreditRisk.Modeling.Search;

/// <summary>
/// A candidate's declared space and its default point. Random search tries the default first, then
/// seeded samples, so a search of one trial is the default and more trials can only add.
/// </summary>
public sealed class SearchSpace(IReadOnlyList<HyperparameterRange> ranges, IReadOnlyDictionary<string, double> defaults)
{
    public IReadOnlyList<HyperparameterRange> Ranges { get; } = ranges;

    public Hyperparameters Default { get; } = new(defaults);

    public IReadOnlyList<Hyperparameters> RandomTrials(int count, int seed)
    {
        var random = new Random(seed);
        var trials = new List<Hyperparameters> { Default };
        while (trials.Count < count)
        {
            trials.Add(new Hyperparameters(Ranges.ToDictionary(range => range.Name, range => range.Sample(random))));
        }
        return trials.Take(Math.Max(1, count)).ToList();
    }
}
