namespace CreditRisk.Training.Steps;

/// <summary>What the promotion policy judges: the new version's out-of-time metrics, the champion on the same slice, and the bounds.</summary>
public sealed record PromotionInputs(
    int NewVersion,
    double RocAuc,
    double ExpectedCalibrationError,
    double Ks,
    ChampionComparison Champion,
    double Margin,
    double CalibrationGuard,
    double KsGuard);
