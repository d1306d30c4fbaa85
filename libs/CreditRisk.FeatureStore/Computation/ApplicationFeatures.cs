using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The request-time features of a loan application: the ONE function training (via the offline store, where the
/// features service writes its output per application) and scoring (at request time) both use.
/// <para>Derived ratios (null when an operand is missing or the divisor is not &gt; 0):</para>
/// <list type="bullet">
/// <item><c>loan_to_price</c> = amount / price.</item>
/// <item><c>debt_to_income</c> = debt / income (debt over one month's income).</item>
/// <item><c>payment_to_income</c> = (amount / term_months) / income: the principal instalment over monthly income.</item>
/// <item><c>disposable_income</c> = income − expenses.</item>
/// </list>
/// Categorical enums are lower-case strings ("rent", "owner", ...); UNSPECIFIED is null.
/// </summary>
public static class ApplicationFeatures
{
    public static IReadOnlyList<FeatureDefinition> Definitions { get; } =
    [
        FeatureDefinition.Field("amount", FeatureValueType.Double, "Requested loan amount."),
        FeatureDefinition.Field("term", FeatureValueType.Int64, "Requested term, months."),
        FeatureDefinition.Field("price", FeatureValueType.Double, "Price of the financed good."),
        FeatureDefinition.Field("income", FeatureValueType.Double, "Monthly income; null when not stated."),
        FeatureDefinition.Field("expenses", FeatureValueType.Double, "Monthly expenses."),
        FeatureDefinition.Field("assets", FeatureValueType.Double, "Value of assets; null when not stated."),
        FeatureDefinition.Field("debt", FeatureValueType.Double, "Amount of debt; null when not stated."),
        FeatureDefinition.Field("age", FeatureValueType.Int64, "Applicant age, years."),
        FeatureDefinition.Field("seniority", FeatureValueType.Int64, "Years with the current employer."),
        FeatureDefinition.Field("home", FeatureValueType.String, "Housing: rent, owner, private, ignore, parents, other."),
        FeatureDefinition.Field("marital", FeatureValueType.String, "single, married, widow, separated, divorced."),
        FeatureDefinition.Field("job", FeatureValueType.String, "fixed, freelance, part_time, others, platform."),
        FeatureDefinition.Field("records", FeatureValueType.Bool, "Has prior default records."),
        FeatureDefinition.Field("loan_to_price", FeatureValueType.Double, "amount / price; null when price ≤ 0."),
        FeatureDefinition.Field("debt_to_income", FeatureValueType.Double, "debt / monthly income; null when either is missing or income ≤ 0."),
        FeatureDefinition.Field("payment_to_income", FeatureValueType.Double, "(amount / term) / monthly income; null when income is missing or ≤ 0 or term ≤ 0."),
        FeatureDefinition.Field("disposable_income", FeatureValueType.Double, "income − expenses; null when income is missing."),
    ];

    /// <summary>Computes every feature of <see cref="Definitions"/>, keyed by feature name.</summary>
    public static IReadOnlyDictionary<string, FeatureValue> Compute(LoanApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        double? income = application.HasIncome ? application.Income : null;
        double? assets = application.HasAssets ? application.Assets : null;
        double? debt = application.HasDebt ? application.Debt : null;
        var incomeUsable = income is > 0;

        return new Dictionary<string, FeatureValue>(StringComparer.Ordinal)
        {
            ["amount"] = FeatureValues.Of(application.Amount),
            ["term"] = FeatureValues.Of((long)application.TermMonths),
            ["price"] = FeatureValues.Of(application.Price),
            ["income"] = FeatureValues.Of(income),
            ["expenses"] = FeatureValues.Of(application.Expenses),
            ["assets"] = FeatureValues.Of(assets),
            ["debt"] = FeatureValues.Of(debt),
            ["age"] = FeatureValues.Of((long)application.AgeYears),
            ["seniority"] = FeatureValues.Of((long)application.SeniorityYears),
            ["home"] = FeatureValues.Of(Home(application.Home)),
            ["marital"] = FeatureValues.Of(Marital(application.Marital)),
            ["job"] = FeatureValues.Of(Job(application.Job)),
            ["records"] = FeatureValues.Of(application.HasPriorDefaultRecords),
            ["loan_to_price"] = FeatureValues.Of(application.Price > 0 ? application.Amount / application.Price : null),
            ["debt_to_income"] = FeatureValues.Of(incomeUsable && debt is { } d ? d / income!.Value : null),
            ["payment_to_income"] = FeatureValues.Of(incomeUsable && application.TermMonths > 0
                ? application.Amount / application.TermMonths / income!.Value
                : null),
            ["disposable_income"] = FeatureValues.Of(income is { } i ? i - application.Expenses : null),
        };
    }

    private static string? Home(HomeOwnership home) => home switch
    {
        HomeOwnership.Rent => "rent",
        HomeOwnership.Owner => "owner",
        HomeOwnership.Private => "private",
        HomeOwnership.Ignore => "ignore",
        HomeOwnership.Parents => "parents",
        HomeOwnership.Other => "other",
        _ => null,
    };

    private static string? Marital(MaritalStatus marital) => marital switch
    {
        MaritalStatus.Single => "single",
        MaritalStatus.Married => "married",
        MaritalStatus.Widow => "widow",
        MaritalStatus.Separated => "separated",
        MaritalStatus.Divorced => "divorced",
        _ => null,
    };

    private static string? Job(JobType job) => job switch
    {
        JobType.Fixed => "fixed",
        JobType.Freelance => "freelance",
        JobType.PartTime => "part_time",
        JobType.Others => "others",
        JobType.Platform => "platform",
        _ => null,
    };
}
