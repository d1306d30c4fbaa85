using System.Text.RegularExpressions;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Models;
using Google.Protobuf.Collections;

namespace CreditRisk.Registry.Serving;

/// <summary>What makes a set of serving arms servable: named uniquely, each with a target, live weights summing to 1, one shadow at most.</summary>
public static partial class ServingArmRules
{
    private const double WeightTolerance = 1e-6;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ArmNamePattern();

    public static void Validate(RepeatedField<ServingArm> arms, FieldViolations errors)
    {
        if (arms.Count == 0)
        {
            errors.Add("arms", "at least one arm that serves traffic");
            return;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < arms.Count; i++)
        {
            var arm = arms[i];
            var field = $"arms[{i}]";
            if (!ArmNamePattern().IsMatch(arm.Name))
            {
                errors.Add($"{field}.name", "1-64 characters of [A-Za-z0-9_-]");
            }
            else if (!names.Add(arm.Name))
            {
                errors.Add($"{field}.name", $"'{arm.Name}' names two arms");
            }
            switch (arm.TargetCase)
            {
                case ServingArm.TargetOneofCase.Alias:
                    ModelRegistryService.ValidateAlias(arm.Alias, errors, $"{field}.alias");
                    break;
                case ServingArm.TargetOneofCase.Version when arm.Version <= 0:
                    errors.Add($"{field}.version", "must be > 0");
                    break;
                case ServingArm.TargetOneofCase.None:
                    errors.Add($"{field}.target", "required: an alias to follow or a version to pin");
                    break;
            }
            if (!double.IsFinite(arm.Weight) || arm.Weight is < 0 or > 1)
            {
                errors.Add($"{field}.weight", "must be in [0, 1]");
            }
            else if (arm.Shadow && arm.Weight != 0)
            {
                errors.Add($"{field}.weight", "must be 0 for the shadow arm (it serves no traffic)");
            }
        }
        if (arms.Count(arm => arm.Shadow) > 1)
        {
            errors.Add("arms", "at most one shadow arm");
        }
        var live = arms.Where(arm => !arm.Shadow).ToList();
        if (live.Count == 0)
        {
            errors.Add("arms", "at least one arm that serves traffic");
        }
        else if (live.All(arm => double.IsFinite(arm.Weight)) && Math.Abs(live.Sum(arm => arm.Weight) - 1) > WeightTolerance)
        {
            errors.Add("arms", $"the weights of the arms that serve traffic sum to {live.Sum(arm => arm.Weight):0.######}, not 1");
        }
    }
}
