namespace CreditRisk.Drift.Methods;

/// <summary>Names, default thresholds and the direction of each method's drift decision.</summary>
public static class DriftMethods
{
    public static string Name(this DriftMethod method) => method switch
    {
        DriftMethod.Ks => "ks",
        DriftMethod.ChiSquare => "chisquare",
        DriftMethod.Z => "z",
        DriftMethod.Wasserstein => "wasserstein",
        DriftMethod.JensenShannon => "jensenshannon",
        DriftMethod.Psi => "psi",
        DriftMethod.Kl => "kl",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>Parses a method name; Evidently's "kl_div" is accepted for <see cref="DriftMethod.Kl"/>.</summary>
    public static bool TryParse(string? name, out DriftMethod method)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "ks": method = DriftMethod.Ks; return true;
            case "chisquare": method = DriftMethod.ChiSquare; return true;
            case "z": method = DriftMethod.Z; return true;
            case "wasserstein": method = DriftMethod.Wasserstein; return true;
            case "jensenshannon": method = DriftMethod.JensenShannon; return true;
            case "psi": method = DriftMethod.Psi; return true;
            case "kl" or "kl_div": method = DriftMethod.Kl; return true;
            default: method = default; return false;
        }
    }

    /// <summary>True for p-value tests (drift when value &lt; threshold); false for distances (drift when value ≥ threshold).</summary>
    public static bool IsStatisticalTest(this DriftMethod method) =>
        method is DriftMethod.Ks or DriftMethod.ChiSquare or DriftMethod.Z;

    /// <summary>Evidently's defaults: 0.05 for p-values, 0.1 for distances.</summary>
    public static double DefaultThreshold(this DriftMethod method) => method.IsStatisticalTest() ? 0.05 : 0.1;

    /// <summary>Whether the method applies to text categories as well as numbers.</summary>
    public static bool AcceptsCategorical(this DriftMethod method) => method is not (DriftMethod.Ks or DriftMethod.Wasserstein);

    public static bool IsDrift(this DriftMethod method, double value, double threshold) =>
        method.IsStatisticalTest() ? value < threshold : value >= threshold;
}
