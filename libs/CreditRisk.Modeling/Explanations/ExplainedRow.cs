namespace CreditRisk.Modeling.Explanations;

/// <summary>What the model with the contribution calculator appended adds to a row.</summary>
internal sealed class ExplainedRow
{
    public float Probability { get; set; }

    public float Score { get; set; }

    public float[] FeatureContributions { get; set; } = [];
}
