using CreditRisk.Contracts.Common.V1;
using CreditRisk.DataImport.Tests.Support;

namespace CreditRisk.DataImport.Tests;

public sealed class CsvImportTests
{
    [Fact]
    public void Every_row_of_the_dataset_is_read_with_its_values()
    {
        var rows = Dataset.Rows;

        Assert.Equal(4_454, rows.Count);
        Assert.Equal(Enumerable.Range(1, 4_454), rows.Select(row => row.RowNumber));
        // "good",9,"rent",60,30,"married","no","freelance",73,129,0,0,800,846
        Assert.Equal(
            new CreditDataRow(1, "good", 9, "rent", 60, 30, "married", "no", "freelance", 73, 129, 0, 0, 800, 846),
            rows[0]);
        Assert.Equal(1_254, rows.Count(row => row.Defaulted == true));
        Assert.Equal(3_200, rows.Count(row => row.Defaulted == false));
    }

    [Fact]
    public void Missing_values_are_null_not_zero()
    {
        var rows = Dataset.Rows;

        // Counted in the file with Python's csv module: empty fields per column.
        Assert.Equal(381, rows.Count(row => row.Income is null));
        Assert.Equal(47, rows.Count(row => row.Assets is null));
        Assert.Equal(18, rows.Count(row => row.Debt is null));
        Assert.Equal(6, rows.Count(row => row.Home is null));
        Assert.Equal(1, rows.Count(row => row.Marital is null));
        Assert.Equal(2, rows.Count(row => row.Job is null));
        Assert.All(rows, row => Assert.NotNull(row.Amount));
        // Zero is a real value where it occurs (no assets), distinct from missing.
        Assert.Contains(rows, row => row.Assets == 0);
    }

    [Fact]
    public void Every_row_maps_to_an_application_with_missing_optionals_unset()
    {
        var rows = Dataset.Rows;

        var applications = rows.Select(row => (Row: row, Application: CreditDataMapper.ToApplication(row, out _))).ToList();

        Assert.All(applications, pair => Assert.NotNull(pair.Application));
        Assert.All(applications.Where(pair => pair.Row.Income is null), pair => Assert.False(pair.Application!.HasIncome));
        Assert.All(applications.Where(pair => pair.Row.Income is not null), pair => Assert.Equal(pair.Row.Income, pair.Application!.Income));
        Assert.Equal(6, applications.Count(pair => pair.Application!.Home == HomeOwnership.Unspecified));
        Assert.Equal(2, applications.Count(pair => pair.Application!.Job == JobType.Unspecified));
        Assert.Contains(applications, pair => pair.Application!.Job == JobType.PartTime);
        Assert.Contains(applications, pair => pair.Application!.Home == HomeOwnership.Private);
    }

    [Fact]
    public void Quoted_fields_columns_in_any_order_and_empty_fields_parse()
    {
        const string csv = """
            Price,Amount,"Status",Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt
            846,800,"go""od, really",9,"rent",60,30,,"no",freelance,73,,0,12.5

            """;

        var row = Assert.Single(CreditDataCsvReader.Read(new StringReader(csv)));

        Assert.Equal("go\"od, really", row.Status);
        Assert.Null(row.Defaulted);
        Assert.Equal(846, row.Price);
        Assert.Null(row.Marital);
        Assert.Null(row.Income);
        Assert.Equal(12.5, row.Debt);
    }

    [Theory]
    [InlineData("Status,Seniority\n\"good\",1\n", "missing column(s)")]
    [InlineData("Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price\ngood,1,rent,60,30,single,no,fixed,73,129,0,0,800\n", "line 2: 13 fields")]
    [InlineData("Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price\ngood,x,rent,60,30,single,no,fixed,73,129,0,0,800,900\n", "line 2: Seniority \"x\"")]
    [InlineData("Status,Seniority,Home,Time,Age,Marital,Records,Job,Expenses,Income,Assets,Debt,Amount,Price\n\"good,1,rent,60,30,single,no,fixed,73,129,0,0,800,900\n", "line 2: unterminated")]
    public void Malformed_files_are_reported_with_the_line(string csv, string expected)
    {
        var error = Assert.Throws<CsvFormatException>(() => CreditDataCsvReader.Read(new StringReader(csv)).ToList());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
