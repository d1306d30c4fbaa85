namespace CreditRisk.Modeling.Data;

/// <summary>What a model adds to a row: the calibrated probability of the positive label.</summary>
public sealed class ModelOutputRow
{
    public float Probability { get; set; }
}
