using System.Text.RegularExpressions;
using CreditRisk.Contracts.Rpc;

namespace CreditRisk.Registry.Validation;

/// <summary>The registry's own field rules: run ids and the alphabets of keys, names, aliases and digests.</summary>
public static partial class RegistryFields
{
    public static Guid ParseRunId(string field, string? value, FieldViolations violations)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(field, "required");
            return Guid.Empty;
        }
        if (!Guid.TryParse(value, out var id))
        {
            violations.Add(field, "not a run id");
        }
        return id;
    }

    /// <summary>Throws INVALID_ARGUMENT for a bad run id; otherwise returns it.</summary>
    public static Guid RequireRunId(string? value, string field = "run_id")
    {
        var violations = new FieldViolations();
        var id = ParseRunId(field, value, violations);
        violations.ThrowIfAny();
        return id;
    }

    /// <summary>Metric, param and tag keys: MLflow's alphabet (letters, digits, _ - . space /), at most 250.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-\. /]{1,250}$")]
    public static partial Regex KeyPattern();

    /// <summary>Model names: letters, digits, _ - . at most 255.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-\.]{1,255}$")]
    public static partial Regex ModelNamePattern();

    /// <summary>Aliases: [A-Za-z0-9_-], at most 255.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,255}$")]
    public static partial Regex AliasPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    public static partial Regex Sha256Pattern();
}
