using System.Text.RegularExpressions;
using CreditRisk.Contracts.Rpc;

namespace CreditRisk.Contracts.Validation;

/// <summary>The shape of the ids callers give the platform (application, customer, request ids): one rule for every service.</summary>
public static partial class IdentifierRules
{
    public const int MaxLength = 128;

    /// <summary>"required", or a violation when <paramref name="value"/> is not 1-128 of letters, digits and . _ : - (starting with a letter or digit).</summary>
    public static void Validate(string? value, string field, FieldViolations violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrEmpty(value))
        {
            violations.Add(field, "required");
        }
        else if (value.Length > MaxLength || !Identifier().IsMatch(value))
        {
            violations.Add(field, $"must be 1-{MaxLength} characters of letters, digits and . _ : - (starting with a letter or digit)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
    private static partial Regex Identifier();
}
