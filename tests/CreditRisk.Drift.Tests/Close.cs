namespace CreditRisk.Drift.Tests;

/// <summary>The agreement the brief asks of scipy's answers: 1e-9 relative, 1e-12 absolute near zero.</summary>
public static class Close
{
    public const double Relative = 1e-9;
    public const double Absolute = 1e-12;

    public static void Equal(double expected, double actual, string context)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return;
        if (double.IsInfinity(expected) && expected == actual) return;
        var difference = Math.Abs(expected - actual);
        Assert.True(difference <= Absolute || difference <= Relative * Math.Abs(expected),
            $"{context}: expected {expected:R}, got {actual:R} (relative {difference / Math.Abs(expected):E2})");
    }
}
