namespace CreditRisk.DataImport;

/// <summary>
/// Deterministic random streams: one per (seed, row, purpose), so a row's events do not depend on
/// which other rows are imported (--limit) or on the order they are generated in.
/// </summary>
public sealed class SeededRandom(int seed, int row, string purpose)
{
    private readonly Random _random = new(Mix(seed, row, purpose));

    public double NextDouble() => _random.NextDouble();

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public double Uniform(double min, double max) => min + (max - min) * _random.NextDouble();

    public bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal(double mean = 0, double standardDeviation = 1)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Poisson count (Knuth; the means used here are small).</summary>
    public int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var product = _random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= _random.NextDouble();
        }
        return count;
    }

    /// <summary>Geometric count of at least 1 with the given mean.</summary>
    public int Geometric(double mean)
    {
        var p = 1.0 / Math.Max(mean, 1.0);
        return 1 + (int)Math.Floor(Math.Log(1.0 - _random.NextDouble()) / Math.Log(1.0 - p + 1e-12));
    }

    /// <summary>A multiplier with median 1 (log-normal), for amounts that vary by purchase.</summary>
    public double LogNormalFactor(double sigma) => Math.Exp(Normal(0, sigma));

    private static int Mix(int seed, int row, string purpose)
    {
        // SplitMix64 over the inputs: stable across processes and .NET versions (unlike string.GetHashCode).
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)row);
        foreach (var character in purpose)
        {
            state = SplitMix(state ^ character);
        }
        return unchecked((int)SplitMix(state));
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
