using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;

namespace CreditRisk.Scoring.Inference;

/// <summary>The Open Inference Protocol's tensor datatypes as this service maps the model's inputs to them.</summary>
public static class InferenceDatatypes
{
    public const string Fp32 = "FP32";
    public const string Fp64 = "FP64";
    public const string Int64 = "INT64";
    public const string Bytes = "BYTES";

    /// <summary>The output tensor: the probability of default per row.</summary>
    public const string ProbabilityOutput = "default_probability";

    /// <summary>Every tensor is a column: [-1, 1] (any batch, one value per row); [-1] is accepted too.</summary>
    public static IReadOnlyList<long> ColumnShape { get; } = [-1, 1];

    /// <summary>What metadata advertises: BYTES for a categorical input, INT64 for a count or flag, FP64 otherwise.</summary>
    public static string Of(ModelInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Kind == ColumnKind.Categorical)
        {
            return Bytes;
        }
        return input.Type is "int64" or "bool" ? Int64 : Fp64;
    }

    /// <summary>Datatypes a request may send for the input: any number for a numeric input, text for a categorical one.</summary>
    public static IReadOnlyList<string> Accepted(ModelInput input) =>
        input.Kind == ColumnKind.Categorical ? [Bytes] : [Fp64, Fp32, Int64];
}
