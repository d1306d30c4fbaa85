namespace CreditRisk.Training.Steps;

/// <summary>
/// The champion scored on the same out-of-time slice as the new model, or why it could not be (no champion, another
/// feature service, an artifact that failed its digest check, ...).
/// </summary>
public sealed record ChampionComparison(int? Version, double? RocAuc, double? ExpectedCalibrationError, double? Ks, string? Unavailable)
{
    public bool HasChampion => Version is not null;

    public bool Comparable => RocAuc is not null && Unavailable is null;

    public static ChampionComparison None { get; } = new(null, null, null, null, "the model has no champion yet");
}
