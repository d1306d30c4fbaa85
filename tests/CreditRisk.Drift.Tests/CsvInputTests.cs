using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Service.Csv;

namespace CreditRisk.Drift.Tests;

/// <summary>Reading CSV files and inferring each shared column's kind, as the compare command does.</summary>
public sealed class CsvInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drift-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        var table = CsvTable.Read(Write("q.csv", "id,text\n1,\"a, b\"\n2,\"say \"\"x\"\"\"\n3,\"two\nlines\"\n4,\n"));
        Assert.Equal(4, table.RowCount);
        Assert.Equal(["a, b", "say \"x\"", "two\nlines", null], table.Column("text"));
    }

    [Fact]
    public void Header_problems_are_reported_with_the_file()
    {
        var duplicate = Write("dup.csv", "a,a\n1,2\n");
        Assert.Contains("dup.csv: column 'a' appears twice", Assert.Throws<CsvFormatException>(() => CsvTable.Read(duplicate)).Message);
        var empty = Write("empty.csv", "");
        Assert.Contains("empty.csv", Assert.Throws<CsvFormatException>(() => CsvTable.Read(empty)).Message);
    }

    [Fact]
    public void A_column_is_numeric_only_when_every_value_in_both_files_parses()
    {
        var reference = CsvTable.Read(Write("r.csv", "n,mixed,only_ref\n1.5,1,x\n,2,y\nNaN,3,z\n-2e3,4,w\n"));
        var current = CsvTable.Read(Write("c.csv", "mixed,n\n5,7\nfive,8\n"));
        var (r, c) = ColumnInference.Infer(reference, current);
        Assert.Equal(["n", "mixed"], r.Select(s => s.Name));
        Assert.Equal(ColumnKind.Numeric, r[0].Kind);
        Assert.Equal([-2000, 1.5], r[0].SortedValues);
        Assert.Equal(2, r[0].Missing);
        Assert.Equal(ColumnKind.Categorical, r[1].Kind);
        Assert.Equal(ColumnKind.Categorical, c[1].Kind);
        Assert.Equal(1, c[1].CategoryCounts["five"]);
    }

    [Fact]
    public void Files_without_a_shared_column_are_refused_naming_both()
    {
        var a = Write("a.csv", "x\n1\n");
        var b = Write("b.csv", "y\n1\n");
        var error = Assert.Throws<CsvFormatException>(() => ColumnInference.Infer(CsvTable.Read(a), CsvTable.Read(b)));
        Assert.Contains("a.csv", error.Message);
        Assert.Contains("b.csv", error.Message);
    }
}
