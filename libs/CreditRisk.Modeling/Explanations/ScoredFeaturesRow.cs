namespace CreditRisk.Modeling.Explanations;

/// <summary>What the model adds to a row, with the feature vector its trees read.</summary>
internal sealed class ScoredFeaturesRow
{
    public float Probability { get; set; }

    public float Score { get; set; }

    public float[] Features { get; set; } = [];
}
