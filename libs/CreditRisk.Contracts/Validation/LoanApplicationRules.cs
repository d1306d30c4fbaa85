using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Rpc;

namespace CreditRisk.Contracts.Validation;

/// <summary>
/// What a <see cref="LoanApplication"/> must satisfy wherever one enters the platform (ingestion's submissions,
/// scoring's requests), so an application one service accepts the other accepts too. Every bad field is reported,
/// with its path under the caller's prefix (e.g. "application.application.amount").
/// </summary>
public static class LoanApplicationRules
{
    public const int MaxTermMonths = 600;
    public const int MinAgeYears = 18;
    public const int MaxAgeYears = 120;

    /// <summary>Adds a violation per bad field of <paramref name="application"/>; "required" when it is null.</summary>
    public static void Validate(LoanApplication? application, string prefix, FieldViolations violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (application is null)
        {
            violations.Add(prefix, "required");
            return;
        }
        Positive(application.Amount, $"{prefix}.amount", violations);
        if (application.TermMonths is <= 0 or > MaxTermMonths)
        {
            violations.Add($"{prefix}.term_months", $"must be between 1 and {MaxTermMonths}");
        }
        Positive(application.Price, $"{prefix}.price", violations);
        if (application.HasIncome)
        {
            NonNegative(application.Income, $"{prefix}.income", violations);
        }
        NonNegative(application.Expenses, $"{prefix}.expenses", violations);
        if (application.HasAssets)
        {
            NonNegative(application.Assets, $"{prefix}.assets", violations);
        }
        if (application.HasDebt)
        {
            NonNegative(application.Debt, $"{prefix}.debt", violations);
        }
        if (application.AgeYears is < MinAgeYears or > MaxAgeYears)
        {
            violations.Add($"{prefix}.age_years", $"must be between {MinAgeYears} and {MaxAgeYears}");
        }
        if (application.SeniorityYears < 0)
        {
            violations.Add($"{prefix}.seniority_years", "must be >= 0");
        }
        else if (application.SeniorityYears > application.AgeYears && application.AgeYears > 0)
        {
            violations.Add($"{prefix}.seniority_years", "must not exceed age_years");
        }
        // Unspecified means "not known" (the reference data has gaps); an unknown number is a client bug.
        DefinedEnum(application.Home, $"{prefix}.home", violations);
        DefinedEnum(application.Marital, $"{prefix}.marital", violations);
        DefinedEnum(application.Job, $"{prefix}.job", violations);
    }

    public static void Positive(double value, string field, FieldViolations violations)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            violations.Add(field, "must be > 0");
        }
    }

    public static void NonNegative(double value, string field, FieldViolations violations)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            violations.Add(field, "must be >= 0");
        }
    }

    private static void DefinedEnum<TEnum>(TEnum value, string field, FieldViolations violations) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            violations.Add(field, $"{Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)} is not a known {typeof(TEnum).Name}");
        }
    }
}
