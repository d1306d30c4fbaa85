using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditRisk.Drift.Tests;

/// <summary>scipy/cases.json, written by scipy/make_cases.py with Debian's python3-scipy 1.10.1.</summary>
public sealed class ScipyCases
{
    private static readonly Lazy<ScipyCases> Loaded = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "scipy", "cases.json");
        return JsonSerializer.Deserialize<ScipyCases>(File.ReadAllText(path), new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals })
            ?? throw new InvalidOperationException("cases.json is empty.");
    });

    public static ScipyCases All => Loaded.Value;

    [JsonPropertyName("scipy")] public string Scipy { get; init; } = "";
    [JsonPropertyName("ks_2samp")] public List<KsCase> Ks { get; init; } = [];
    [JsonPropertyName("kstwo_sf")] public List<KstwoCase> Kstwo { get; init; } = [];
    [JsonPropertyName("chi2_sf")] public List<Chi2Case> Chi2 { get; init; } = [];
    [JsonPropertyName("chisquare")] public List<ChiSquareCase> ChiSquare { get; init; } = [];
    [JsonPropertyName("z")] public List<ZCase> Z { get; init; } = [];
    [JsonPropertyName("erfc")] public List<ErfcCase> Erfc { get; init; } = [];
    [JsonPropertyName("wasserstein")] public List<WassersteinCase> Wasserstein { get; init; } = [];
    [JsonPropertyName("divergences")] public List<DivergenceCase> Divergences { get; init; } = [];
    [JsonPropertyName("pipeline")] public List<PipelineCase> Pipeline { get; init; } = [];
    [JsonPropertyName("histogram")] public List<HistogramCase> Histogram { get; init; } = [];

    public sealed record KsCase([property: JsonPropertyName("a")] SampleSpec A, [property: JsonPropertyName("b")] SampleSpec B,
        [property: JsonPropertyName("statistic")] double Statistic, [property: JsonPropertyName("pvalue")] double PValue);

    public sealed record KstwoCase([property: JsonPropertyName("n")] int N, [property: JsonPropertyName("x")] double X, [property: JsonPropertyName("sf")] double Sf);

    public sealed record Chi2Case([property: JsonPropertyName("df")] int Df, [property: JsonPropertyName("x")] double X, [property: JsonPropertyName("sf")] double Sf);

    public sealed record ChiSquareCase([property: JsonPropertyName("observed")] double[] Observed, [property: JsonPropertyName("expected")] double[] Expected,
        [property: JsonPropertyName("statistic")] double Statistic, [property: JsonPropertyName("pvalue")] double PValue);

    public sealed record ZCase([property: JsonPropertyName("x1")] long X1, [property: JsonPropertyName("n1")] long N1, [property: JsonPropertyName("x2")] long X2,
        [property: JsonPropertyName("n2")] long N2, [property: JsonPropertyName("z")] double Z, [property: JsonPropertyName("pvalue")] double PValue);

    public sealed record ErfcCase([property: JsonPropertyName("x")] double X, [property: JsonPropertyName("erfc")] double Erfc);

    public sealed record WassersteinCase([property: JsonPropertyName("a")] SampleSpec A, [property: JsonPropertyName("b")] SampleSpec B,
        [property: JsonPropertyName("distance")] double Distance);

    public sealed record DivergenceCase([property: JsonPropertyName("p")] double[] P, [property: JsonPropertyName("q")] double[] Q,
        [property: JsonPropertyName("js")] double Js, [property: JsonPropertyName("js2")] double Js2,
        [property: JsonPropertyName("kl")] double? Kl, [property: JsonPropertyName("psi")] double? Psi);

    public sealed record PipelineCase([property: JsonPropertyName("a")] SampleSpec A, [property: JsonPropertyName("b")] SampleSpec B,
        [property: JsonPropertyName("method")] string Method, [property: JsonPropertyName("value")] double Value);

    public sealed record HistogramCase([property: JsonPropertyName("a")] SampleSpec A, [property: JsonPropertyName("b")] SampleSpec B,
        [property: JsonPropertyName("edges")] double[] Edges, [property: JsonPropertyName("ref_counts")] long[] ReferenceCounts,
        [property: JsonPropertyName("cur_counts")] long[] CurrentCounts);
}
