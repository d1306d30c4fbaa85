using CreditRisk.Scoring.Options;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>The risk grade of a probability of default: the first configured band (ascending) whose upper bound it does not exceed.</summary>
public sealed class RiskGrades
{
    public static IReadOnlyList<RiskGradeBand> Default { get; } =
    [
        new() { Name = "A", MaxProbability = 0.05 },
        new() { Name = "B", MaxProbability = 0.10 },
        new() { Name = "C", MaxProbability = 0.20 },
        new() { Name = "D", MaxProbability = 0.35 },
        new() { Name = "E", MaxProbability = 1.0 },
    ];

    private readonly RiskGradeBand[] _bands;

    public RiskGrades(IOptions<ScoringOptions> options)
    {
        var configured = options.Value.Grades;
        _bands = [.. (configured.Count > 0 ? configured : Default).OrderBy(band => band.MaxProbability)];
        if (_bands.Any(band => string.IsNullOrWhiteSpace(band.Name)) || _bands[^1].MaxProbability < 1.0)
        {
            throw new InvalidOperationException("Scoring:Grades: every band needs a Name, and the last MaxProbability must be 1 so every probability has a grade");
        }
    }

    public string Of(double probability)
    {
        foreach (var band in _bands)
        {
            if (probability <= band.MaxProbability)
            {
                return band.Name;
            }
        }
        return _bands[^1].Name;
    }
}
