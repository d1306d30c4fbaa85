using CreditRisk.Modeling.Data;

namespace CreditRisk.Training.Steps;

/// <summary>One column of a training set: the served name ("view:feature"), the feature service's value type and how the model takes it.</summary>
public sealed record TrainingSetFeature(string Name, string Type, ColumnKind Kind)
{
    /// <summary>Numbers and flags are numeric inputs (a flag as 0/1); text is categorical.</summary>
    public static ColumnKind KindOf(string type) => type == "string" ? ColumnKind.Categorical : ColumnKind.Numeric;
}
