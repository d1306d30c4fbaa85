namespace CreditRisk.Modeling.Data;

/// <summary>How a feature enters the model: a number (missing values imputed) or a category (one-hot).</summary>
public enum ColumnKind
{
    Numeric,
    Categorical,
}
