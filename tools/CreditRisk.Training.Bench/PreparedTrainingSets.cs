using System.Collections.Concurrent;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench;

/// <summary>The training set each model's run starts from, handed by the bench to <see cref="PreparedTrainingSetStep"/>.</summary>
public sealed class PreparedTrainingSets
{
    private readonly ConcurrentDictionary<string, TrainingSet> _sets = new(StringComparer.Ordinal);

    public void Set(string modelName, TrainingSet set) => _sets[modelName] = set;

    public TrainingSet For(string modelName) =>
        _sets.TryGetValue(modelName, out var set) ? set : throw new KeyNotFoundException($"The bench prepared no training set for model '{modelName}'.");
}
