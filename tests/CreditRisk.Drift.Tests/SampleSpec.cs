using System.Text.Json.Serialization;

namespace CreditRisk.Drift.Tests;

/// <summary>
/// A sample as make_cases.py describes it: a 64-bit LCG whose uniforms (top 53 bits / 2^53) are summed
/// (terms) or cut into levels; the same integer and IEEE operations as the script, so the values are identical.
/// </summary>
public sealed record SampleSpec(
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("shift")] double Shift,
    [property: JsonPropertyName("scale")] double Scale,
    [property: JsonPropertyName("terms")] int Terms,
    [property: JsonPropertyName("levels")] int Levels)
{
    private const ulong Multiplier = 6364136223846793005;
    private const ulong Increment = 1442695040888963407;

    public double[] Generate()
    {
        var state = Seed;
        var values = new double[N];
        for (var i = 0; i < N; i++)
        {
            if (Levels > 0)
            {
                state = unchecked(Multiplier * state + Increment);
                var u = (state >> 11) / 9007199254740992.0;
                values[i] = Shift + Scale * Math.Floor(u * Levels);
            }
            else
            {
                var total = 0.0;
                for (var t = 0; t < Terms; t++)
                {
                    state = unchecked(Multiplier * state + Increment);
                    total += (state >> 11) / 9007199254740992.0;
                }
                values[i] = Shift + Scale * (total - Terms / 2.0);
            }
        }
        return values;
    }

    public double[] GenerateSorted()
    {
        var values = Generate();
        Array.Sort(values);
        return values;
    }

    public override string ToString() => $"n={N} seed={Seed} shift={Shift} scale={Scale} levels={Levels}";
}
