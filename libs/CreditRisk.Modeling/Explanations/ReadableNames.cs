namespace CreditRisk.Modeling.Explanations;

/// <summary>The readable name of an input when the caller's map has none: "applications:debt_to_income" as "Debt to income".</summary>
public static class ReadableNames
{
    public static string FromInputName(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var feature = input[(input.LastIndexOf(':') + 1)..].Replace('_', ' ').Trim();
        return feature.Length == 0 ? input : char.ToUpperInvariant(feature[0]) + feature[1..];
    }
}
