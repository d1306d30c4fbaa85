namespace CreditRisk.Scoring.Models;

/// <summary>
/// The last few versions loaded per model, so a rollback (or an arm moving back to a version) swaps without downloading
/// again. Versions are immutable in the registry, so a cached version is always current.
/// </summary>
public sealed class LoadedModelCache(int versionsPerModel = 4)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedList<LoadedModel>> _byModel = new(StringComparer.Ordinal);

    public LoadedModel? Get(string modelName, int version)
    {
        lock (_lock)
        {
            if (!_byModel.TryGetValue(modelName, out var recent))
            {
                return null;
            }
            for (var node = recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Version == version)
                {
                    recent.Remove(node);
                    recent.AddFirst(node);
                    return node.Value;
                }
            }
            return null;
        }
    }

    /// <summary>Adds (or refreshes) a version; returns the versions this pushed out, for the caller to dispose once unserved.</summary>
    public IReadOnlyList<LoadedModel> Add(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var evicted = new List<LoadedModel>();
        lock (_lock)
        {
            if (!_byModel.TryGetValue(model.Name, out var recent))
            {
                _byModel[model.Name] = recent = new LinkedList<LoadedModel>();
            }
            for (var node = recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Version == model.Version)
                {
                    recent.Remove(node);
                    break;
                }
            }
            recent.AddFirst(model);
            while (recent.Count > versionsPerModel)
            {
                evicted.Add(recent.Last!.Value);
                recent.RemoveLast();
            }
        }
        return evicted;
    }
}
