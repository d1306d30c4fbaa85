namespace CreditRisk.DataImport;

/// <summary>
/// How a credit_data file becomes a timeline. Applications are spread over <see cref="ApplicationMonths"/>
/// months that end <see cref="MaxOutcomeDelayMonths"/> before <see cref="AsOf"/>, so every outcome (known
/// 6–12 months after its application) is already known at <see cref="AsOf"/> and no event lies in the future.
/// </summary>
public sealed record SynthesisSettings
{
    public int Seed { get; init; } = 42;

    /// <summary>"Now" of the import; part of the event ids, so the same day's re-run is deduplicated.</summary>
    public DateTimeOffset AsOf { get; init; } = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    public int ApplicationMonths { get; init; } = 24;

    public int MinOutcomeDelayMonths { get; init; } = 6;

    public int MaxOutcomeDelayMonths { get; init; } = 12;

    /// <summary>Days of transactions before each application (the features' windows are 30 and 90 days).</summary>
    public int TransactionHistoryDays { get; init; } = 120;

    /// <summary>Monthly instalments of a prior loan before each application.</summary>
    public int RepaymentHistoryMonths { get; init; } = 12;

    /// <summary>Share of customers with a prior loan (and so a repayment history).</summary>
    public double PriorLoanShare { get; init; } = 0.75;

    public string Currency { get; init; } = "EUR";

    /// <summary>envelope.source of the imported events.</summary>
    public string Source { get; init; } = "import:credit_data";

    /// <summary>Prefix of every event id name: the same settings give the same ids.</summary>
    internal string IdScope => $"{AsOf:yyyy-MM-dd}/{Seed}";
}
