namespace CreditRisk.Scoring.Models;

/// <summary>
/// How one model is served at one moment: the experiment revision, its live arms with their cumulative traffic shares and
/// the shadow arm. Immutable: a change builds a new state and swaps it in whole, so a request sees one consistent state.
/// </summary>
public sealed class ServingState
{
    public ServingState(string modelName, long revision, IReadOnlyList<ArmModel> arms)
    {
        ArgumentNullException.ThrowIfNull(arms);
        ModelName = modelName;
        Revision = revision;
        Arms = arms;
        LiveArms = arms.Where(arm => !arm.Shadow).ToArray();
        Shadow = arms.FirstOrDefault(arm => arm.Shadow);
        if (LiveArms.Count == 0)
        {
            throw new ArgumentException("a serving state needs at least one live arm", nameof(arms));
        }
        // Weights are normalised, so a declared split that does not sum to exactly 1 still covers [0, 1).
        var total = LiveArms.Sum(arm => Math.Max(0, arm.Weight));
        var cumulative = new double[LiveArms.Count];
        var running = 0.0;
        for (var i = 0; i < LiveArms.Count; i++)
        {
            running += total > 0 ? Math.Max(0, LiveArms[i].Weight) / total : 1.0 / LiveArms.Count;
            cumulative[i] = running;
        }
        cumulative[^1] = 1.0;
        CumulativeWeights = cumulative;
    }

    public string ModelName { get; }

    public long Revision { get; }

    public IReadOnlyList<ArmModel> Arms { get; }

    public IReadOnlyList<ArmModel> LiveArms { get; }

    public ArmModel? Shadow { get; }

    /// <summary>The upper end of each live arm's share of [0, 1), in <see cref="LiveArms"/> order; the last is 1.</summary>
    public IReadOnlyList<double> CumulativeWeights { get; }

    public ArmModel? Arm(string name) => Arms.FirstOrDefault(arm => arm.Name == name);
}
