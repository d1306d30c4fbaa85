using System.Collections.Immutable;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// What this instance serves now: one <see cref="ServingState"/> per model, in one immutable snapshot referenced by a
/// volatile field. A swap replaces the snapshot; a request reads it once and finishes on what it read, so an in-flight
/// request is never half on the old model and half on the new.
/// </summary>
public sealed class ServedModels
{
    private volatile ImmutableDictionary<string, ServingState> _current = ImmutableDictionary.Create<string, ServingState>(StringComparer.Ordinal);
    private readonly Lock _swapLock = new();

    /// <summary>The snapshot: every served model's state.</summary>
    public ImmutableDictionary<string, ServingState> Current => _current;

    public ServingState? StateOf(string modelName) => _current.GetValueOrDefault(modelName);

    /// <summary>A loaded model by name and version (null = the version the first live arm serves), for callers with their own vector.</summary>
    public LoadedModel? Find(string modelName, int? version = null)
    {
        if (StateOf(modelName) is not { } state)
        {
            return null;
        }
        return version is { } wanted
            ? state.Arms.Select(arm => arm.Model).FirstOrDefault(model => model.Version == wanted)
            : state.LiveArms[0].Model;
    }

    /// <summary>Replaces one model's state; returns the state it replaced (null on the first load).</summary>
    public ServingState? Swap(ServingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_swapLock)
        {
            var previous = _current.GetValueOrDefault(state.ModelName);
            _current = _current.SetItem(state.ModelName, state);
            return previous;
        }
    }
}
