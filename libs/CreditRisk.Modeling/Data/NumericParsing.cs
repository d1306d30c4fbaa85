using System.Globalization;

namespace CreditRisk.Modeling.Data;

/// <summary>The one rule for what counts as a number in a file: invariant culture, finite.</summary>
public static class NumericParsing
{
    public static bool TryParse(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
