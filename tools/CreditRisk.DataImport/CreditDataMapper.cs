using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.DataImport;

/// <summary>Turns a credit_data row into the LoanApplication a loan system would submit.</summary>
public static class CreditDataMapper
{
    /// <summary>The application, or null with the reason when a required value (amount, term, price, age, expenses, seniority) is missing.</summary>
    public static LoanApplication? ToApplication(CreditDataRow row, out string? problem)
    {
        var missing = new List<string>();
        if (row.Amount is null) missing.Add("Amount");
        if (row.Time is null) missing.Add("Time");
        if (row.Price is null) missing.Add("Price");
        if (row.Age is null) missing.Add("Age");
        if (row.Expenses is null) missing.Add("Expenses");
        if (row.Seniority is null) missing.Add("Seniority");
        if (missing.Count > 0)
        {
            problem = $"row {row.RowNumber}: missing {string.Join(", ", missing)}";
            return null;
        }
        problem = null;
        var application = new LoanApplication
        {
            Amount = row.Amount!.Value,
            TermMonths = row.Time!.Value,
            Price = row.Price!.Value,
            Expenses = row.Expenses!.Value,
            AgeYears = row.Age!.Value,
            SeniorityYears = row.Seniority!.Value,
            Home = Home(row.Home),
            Marital = Marital(row.Marital),
            Job = Job(row.Job),
            HasPriorDefaultRecords = string.Equals(row.Records, "yes", StringComparison.OrdinalIgnoreCase),
        };
        // Optional in the contract: missing stays unset rather than becoming 0.
        if (row.Income is { } income) application.Income = income;
        if (row.Assets is { } assets) application.Assets = assets;
        if (row.Debt is { } debt) application.Debt = debt;
        return application;
    }

    public static HomeOwnership Home(string? value) => value?.ToLowerInvariant() switch
    {
        "rent" => HomeOwnership.Rent,
        "owner" => HomeOwnership.Owner,
        "priv" or "private" => HomeOwnership.Private,
        "ignore" => HomeOwnership.Ignore,
        "parents" => HomeOwnership.Parents,
        "other" => HomeOwnership.Other,
        _ => HomeOwnership.Unspecified,
    };

    public static MaritalStatus Marital(string? value) => value?.ToLowerInvariant() switch
    {
        "single" => MaritalStatus.Single,
        "married" => MaritalStatus.Married,
        "widow" => MaritalStatus.Widow,
        "separated" => MaritalStatus.Separated,
        "divorced" => MaritalStatus.Divorced,
        _ => MaritalStatus.Unspecified,
    };

    public static JobType Job(string? value) => value?.ToLowerInvariant() switch
    {
        "fixed" => JobType.Fixed,
        "freelance" => JobType.Freelance,
        "partime" or "part_time" or "parttime" => JobType.PartTime,
        "others" => JobType.Others,
        _ => JobType.Unspecified,
    };
}
