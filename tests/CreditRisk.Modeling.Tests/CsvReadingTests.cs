using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Tests;

public sealed class CsvReadingTests
{
    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        var table = TabularTable.Read(new StringReader("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n1,,3\r\n"));

        Assert.Equal(["a", "b", "c"], table.Columns);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(new List<string?> { "x, y", "say \"hi\"", "two\r\nlines" }, table.Rows[0]);
        Assert.Equal(new List<string?> { "1", null, "3" }, table.Rows[1]);
        Assert.Equal([2, 4], table.LineNumbers);
    }

    [Fact]
    public void Columns_are_inferred_numeric_or_categorical_and_empty_fields_are_missing()
    {
        var table = TabularTable.Read(new StringReader("y,amount,job,code,blank\nbad,1.5,fixed,7,\ngood,,\"part time\",x7,\nbad,-2e3,,8,\n"));

        var dataset = LabelledDataset.FromTable(table, "y", "bad");

        Assert.Equal(
            [new FeatureColumn("amount", ColumnKind.Numeric), new FeatureColumn("job", ColumnKind.Categorical), new FeatureColumn("code", ColumnKind.Categorical)],
            dataset.Features);
        Assert.Equal(["blank"], dataset.DroppedColumns);
        Assert.Equal([true, false, true], dataset.Labels);
        Assert.Equal([1.5, "fixed", "7"], dataset.Values[0]);
        Assert.Equal([null, "part time", "x7"], dataset.Values[1]);
        Assert.Equal([-2000.0, null, "8"], dataset.Values[2]);
        Assert.True(float.IsNaN(dataset.Rows[1].Numeric[0]));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_names_its_line()
    {
        var csv = "y,a,b\nbad,1,\"multi\nline\"\ngood,2\n";

        var error = Assert.Throws<TabularDataException>(() => TabularTable.Read(new StringReader(csv)));

        Assert.Equal("line 4: 2 fields, the header has 3", error.Message);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Assert.Throws<TabularDataException>(() => TabularTable.Read(new StringReader("")));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_header_without_rows_is_refused()
    {
        var table = TabularTable.Read(new StringReader("y,a\n"));

        var error = Assert.Throws<TabularDataException>(() => LabelledDataset.FromTable(table, "y", "bad"));

        Assert.Contains("no rows", error.Message);
    }

    [Fact]
    public void A_missing_label_column_is_named()
    {
        var table = TabularTable.Read(new StringReader("Status,a\nbad,1\ngood,2\n"));

        var error = Assert.Throws<TabularDataException>(() => LabelledDataset.FromTable(table, "Outcome", "bad"));

        Assert.Contains("\"Outcome\"", error.Message);
        Assert.Contains("Status, a", error.Message);
    }

    [Theory]
    [InlineData("bad")]
    [InlineData("default")]
    public void A_one_class_label_is_refused(string positive)
    {
        var table = TabularTable.Read(new StringReader("Status,a\nbad,1\nbad,2\n"));

        var error = Assert.Throws<TabularDataException>(() => LabelledDataset.FromTable(table, "Status", positive));

        Assert.Contains("one class", error.Message);
        Assert.Contains("\"Status\"", error.Message);
    }

    [Fact]
    public void An_unclosed_quote_is_refused_with_its_line()
    {
        var error = Assert.Throws<TabularDataException>(() => TabularTable.Read(new StringReader("a,b\n1,\"open\n")));

        Assert.StartsWith("line 2:", error.Message);
    }
}
