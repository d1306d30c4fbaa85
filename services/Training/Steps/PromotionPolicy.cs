using System.Globalization;

namespace CreditRisk.Training.Steps;

/// <summary>
/// When a new version replaces the champion. It does when the model has no champion yet; or when, scored on the same
/// out-of-time slice, its ROC AUC beats the champion's by at least the margin (default 0.002, about the AUC noise of
/// refitting on a few thousand rows) and neither guard degrades past its bound: the expected calibration error rises by
/// at most calibration_guard (default 0.02) and KS falls by at most ks_guard (default 0.02). A champion that could not
/// be scored on the slice (another feature service, an unusable artifact) is kept: nothing is promoted on a comparison
/// that was not made.
/// </summary>
public static class PromotionPolicy
{
    public static PromotionDecision Decide(PromotionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var champion = inputs.Champion;
        if (!champion.HasChampion)
        {
            return new PromotionDecision(true, Text($"version {inputs.NewVersion} is the first champion: the model had none (OOT ROC AUC {inputs.RocAuc:0.0000})"));
        }
        if (!champion.Comparable)
        {
            return new PromotionDecision(false, Text($"stays challenger: champion v{champion.Version} could not be compared on the same slice ({champion.Unavailable})"));
        }
        var gain = inputs.RocAuc - champion.RocAuc!.Value;
        if (gain < inputs.Margin)
        {
            return new PromotionDecision(false, Text(
                $"stays challenger: OOT ROC AUC {inputs.RocAuc:0.0000} vs champion v{champion.Version} {champion.RocAuc:0.0000} on the same slice, gain {gain:0.0000} < margin {inputs.Margin:0.0000}"));
        }
        var eceIncrease = inputs.ExpectedCalibrationError - champion.ExpectedCalibrationError!.Value;
        if (eceIncrease > inputs.CalibrationGuard)
        {
            return new PromotionDecision(false, Text(
                $"stays challenger: calibration degrades, ECE {inputs.ExpectedCalibrationError:0.0000} vs champion v{champion.Version} {champion.ExpectedCalibrationError:0.0000}, increase {eceIncrease:0.0000} > guard {inputs.CalibrationGuard:0.0000}"));
        }
        var ksDecrease = champion.Ks!.Value - inputs.Ks;
        if (ksDecrease > inputs.KsGuard)
        {
            return new PromotionDecision(false, Text(
                $"stays challenger: KS {inputs.Ks:0.0000} vs champion v{champion.Version} {champion.Ks:0.0000}, decrease {ksDecrease:0.0000} > guard {inputs.KsGuard:0.0000}"));
        }
        return new PromotionDecision(true, Text(
            $"becomes champion: OOT ROC AUC {inputs.RocAuc:0.0000} vs champion v{champion.Version} {champion.RocAuc:0.0000} on the same slice, gain {gain:0.0000} ≥ margin {inputs.Margin:0.0000}; ECE change {eceIncrease:+0.0000;-0.0000;0.0000}, KS change {-ksDecrease:+0.0000;-0.0000;0.0000} within guards"));
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
