namespace CreditRisk.Drift.Methods;

/// <summary>The per-column drift methods, named as in the JSON output (Evidently's names, KL as "kl").</summary>
public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov-Smirnov p-value (numeric only).</summary>
    Ks,

    /// <summary>Chi-square goodness-of-fit p-value of current counts against scaled reference counts.</summary>
    ChiSquare,

    /// <summary>Two-proportion z-test p-value (the first category against the rest).</summary>
    Z,

    /// <summary>Wasserstein-1 distance over the reference standard deviation (numeric only).</summary>
    Wasserstein,

    /// <summary>Jensen-Shannon distance of the binned shares.</summary>
    JensenShannon,

    /// <summary>Population stability index of the binned shares, empty bins filled.</summary>
    Psi,

    /// <summary>Kullback-Leibler divergence of reference from current binned shares, empty bins filled.</summary>
    Kl,
}
