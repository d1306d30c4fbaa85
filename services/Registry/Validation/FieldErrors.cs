using System.Text.RegularExpressions;

namespace CreditRisk.Registry.Validation;

/// <summary>Collects every bad field of a request, so one INVALID_ARGUMENT names them all.</summary>
public sealed partial class FieldErrors
{
    private readonly List<string> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string problem) => _errors.Add($"{field}: {problem}");

    public void Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "required");
        }
    }

    public void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            Add(field, $"at most {max} characters (got {value.Length})");
        }
    }

    public override string ToString() => string.Join("; ", _errors);

    /// <summary>Throws INVALID_ARGUMENT listing every error, if any.</summary>
    public void ThrowIfAny()
    {
        if (Any)
        {
            throw RegistryException.InvalidArgument(ToString());
        }
    }

    public static Guid ParseRunId(string field, string? value, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "required");
            return Guid.Empty;
        }
        if (!Guid.TryParse(value, out var id))
        {
            errors.Add(field, "not a run id");
        }
        return id;
    }

    /// <summary>Throws INVALID_ARGUMENT for a bad run id; otherwise returns it.</summary>
    public static Guid RequireRunId(string? value, string field = "run_id")
    {
        var errors = new FieldErrors();
        var id = ParseRunId(field, value, errors);
        errors.ThrowIfAny();
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
