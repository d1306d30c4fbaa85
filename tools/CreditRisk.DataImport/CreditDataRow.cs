namespace CreditRisk.DataImport;

/// <summary>
/// One row of a credit_data.csv-shaped file (see data/README.md). Every column is nullable: an empty
/// field is a missing value, never zero.
/// </summary>
/// <param name="RowNumber">1-based number of the data row (the header is not counted): the stable identity of the applicant.</param>
public sealed record CreditDataRow(
    int RowNumber,
    string? Status,
    int? Seniority,
    string? Home,
    int? Time,
    int? Age,
    string? Marital,
    string? Records,
    string? Job,
    double? Expenses,
    double? Income,
    double? Assets,
    double? Debt,
    double? Amount,
    double? Price)
{
    /// <summary>true for "bad" (defaulted), false for "good" (repaid), null when the row has no outcome.</summary>
    public bool? Defaulted => Status?.ToLowerInvariant() switch
    {
        "bad" => true,
        "good" => false,
        _ => null,
    };
}
