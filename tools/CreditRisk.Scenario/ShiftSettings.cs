namespace CreditRisk.Scenario;

/// <summary>
/// How the applicant population shifts (step 4): incomes fall, requested amounts rise, and a job category the first
/// models never saw (platform work) appears. The shifted population's outcomes are simulated: an applicant keeps the
/// outcome of the dataset row it comes from, except that platform workers default with <see cref="PlatformDefaultRate"/>.
/// </summary>
public sealed record ShiftSettings
{
    public double IncomeFactor { get; init; } = 0.6;

    public double AmountFactor { get; init; } = 1.5;

    /// <summary>Share of the shifted applicants who are platform workers.</summary>
    public double PlatformShare { get; init; } = 0.35;

    public double PlatformDefaultRate { get; init; } = 0.6;
}
