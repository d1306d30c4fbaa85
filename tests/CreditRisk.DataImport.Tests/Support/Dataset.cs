using CreditRisk.DataImport;

namespace CreditRisk.DataImport.Tests.Support;

/// <summary>data/credit_data.csv, copied next to the tests by the project file.</summary>
public static class Dataset
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    private static readonly Lazy<IReadOnlyList<CreditDataRow>> AllRows = new(() => [.. CreditDataCsvReader.ReadFile(Path)]);

    public static IReadOnlyList<CreditDataRow> Rows => AllRows.Value;
}
