namespace CreditRisk.Modeling.Data;

/// <summary>
/// The row ML.NET sees: every numeric input in one vector (NaN = missing) and every categorical input in
/// another, as "column=value" so one vocabulary keeps columns apart. The vector lengths come from the
/// signature (<see cref="ModelInputSchema"/>), so one row type serves any table.
/// </summary>
public sealed class ModelInputRow
{
    public float[] Numeric { get; set; } = [];

    public string[] Categorical { get; set; } = [];

    public bool Label { get; set; }
}
