using System.Globalization;
using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>Builders and conversions for <see cref="FeatureValue"/>: an unset kind is null (missing, not zero).</summary>
public static class FeatureValues
{
    /// <summary>A fresh null (each call returns a new message: protobuf messages are mutable).</summary>
    public static FeatureValue Null => new();

    public static FeatureValue Of(double value) => new() { DoubleValue = value };

    public static FeatureValue Of(double? value) => value is { } v ? new FeatureValue { DoubleValue = v } : new FeatureValue();

    public static FeatureValue Of(long value) => new() { Int64Value = value };

    public static FeatureValue Of(long? value) => value is { } v ? new FeatureValue { Int64Value = v } : new FeatureValue();

    public static FeatureValue Of(string? value) => value is null ? new FeatureValue() : new FeatureValue { StringValue = value };

    public static FeatureValue Of(bool value) => new() { BoolValue = value };

    public static bool IsNull(this FeatureValue? value) => value is null || value.KindCase == FeatureValue.KindOneofCase.None;

    /// <summary>The value as a double (int64 and bool widen; string and null give null): handy for models.</summary>
    public static double? AsDouble(this FeatureValue? value) => value?.KindCase switch
    {
        FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue,
        FeatureValue.KindOneofCase.Int64Value => value.Int64Value,
        FeatureValue.KindOneofCase.BoolValue => value.BoolValue ? 1 : 0,
        _ => null,
    };

    /// <summary>Invariant text for logs and test messages: "null", "1.5", "3", "\"rent\"", "true".</summary>
    public static string Format(this FeatureValue? value) => value?.KindCase switch
    {
        FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        FeatureValue.KindOneofCase.Int64Value => value.Int64Value.ToString(CultureInfo.InvariantCulture),
        FeatureValue.KindOneofCase.StringValue => $"\"{value.StringValue}\"",
        FeatureValue.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        _ => "null",
    };
}
