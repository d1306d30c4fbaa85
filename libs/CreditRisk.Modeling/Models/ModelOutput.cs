namespace CreditRisk.Modeling.Models;

/// <summary>What the model returns: a float32 probability that the label column takes the positive value.</summary>
public sealed record ModelOutput(string Name, string Type, string LabelColumn, string PositiveLabel)
{
    public static ModelOutput PositiveProbability(string labelColumn, string positiveLabel) =>
        new("probability", "float32", labelColumn, positiveLabel);
}
