using CreditRisk.Contracts.Common.V1;
using CreditRisk.Modeling.Data;

namespace CreditRisk.Scoring.Features;

/// <summary>
/// A feature value as a model input, exactly as training hands its set to the modeling library (TrainingSet.ModelValue):
/// numbers as doubles, a flag as 0/1 for a numeric input, anything categorical as invariant text, null as missing.
/// </summary>
public static class ModelValues
{
    public static object? Of(FeatureValue? value, ColumnKind kind) => value?.KindCase switch
    {
        null or FeatureValue.KindOneofCase.None => null,
        FeatureValue.KindOneofCase.DoubleValue when kind == ColumnKind.Numeric => value.DoubleValue,
        FeatureValue.KindOneofCase.Int64Value when kind == ColumnKind.Numeric => (double)value.Int64Value,
        FeatureValue.KindOneofCase.BoolValue when kind == ColumnKind.Numeric => value.BoolValue ? 1.0 : 0.0,
        FeatureValue.KindOneofCase.StringValue when kind == ColumnKind.Categorical => value.StringValue,
        FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        FeatureValue.KindOneofCase.Int64Value => value.Int64Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FeatureValue.KindOneofCase.BoolValue => value.BoolValue ? "True" : "False",
        _ => throw new InvalidDataException($"a text value \"{value.StringValue}\" for a numeric model input"),
    };
}
