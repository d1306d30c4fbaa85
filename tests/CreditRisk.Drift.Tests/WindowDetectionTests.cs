using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;
using CreditRisk.Drift.Service.Csv;

namespace CreditRisk.Drift.Tests;

/// <summary>
/// The default tests on windows of credit applications as the prediction stream will bring them: a reference of 2,500
/// applications, and 100 windows drawn from the 1,954 others, unshifted and shifted. The false alarm rates, per column,
/// are written to the test output: heavy-tailed columns (assets, debt: mostly zero) alarm often in small windows.
/// </summary>
public sealed class WindowDetectionTests(ITestOutputHelper output)
{
    private const int ReferenceRows = 2500;
    private const int Windows = 100;

    private static readonly Lazy<Applications> Data = new(() => new Applications(
        CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv"))));

    [Theory]
    [InlineData(500, 0.10)]
    [InlineData(2000, 0.01)]
    public void Unshifted_windows_raise_no_dataset_drift_and_few_column_alarms(int windowRows, double maxColumnAlarmShare)
    {
        var data = Data.Value;
        var datasetAlarms = 0;
        var columnAlarms = 0;
        var byColumn = new Dictionary<string, int>();
        for (var window = 0; window < Windows; window++)
        {
            var result = DriftDetector.Compare(data.Reference, data.Window(window, windowRows, shift: false));
            datasetAlarms += result.DatasetDrift ? 1 : 0;
            columnAlarms += result.DriftedCount;
            foreach (var column in result.Columns.Where(column => column.Drifted))
            {
                byColumn[$"{column.Column} ({column.Method.Name()})"] = byColumn.GetValueOrDefault($"{column.Column} ({column.Method.Name()})") + 1;
            }
        }
        output.WriteLine("column alarms: " + string.Join(", ", byColumn.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value}")));

        var columnWindows = Windows * data.Reference.Count;
        output.WriteLine($"unshifted, {windowRows} rows: dataset drift in {datasetAlarms} of {Windows} windows; {columnAlarms} of {columnWindows} column-windows drifted ({(double)columnAlarms / columnWindows:P2})");
        Assert.Equal(0, datasetAlarms);
        Assert.True(columnAlarms <= columnWindows * maxColumnAlarmShare, $"{columnAlarms} of {columnWindows} column-windows drifted");
    }

    [Fact]
    public void Shifted_windows_of_500_flag_every_shifted_column_in_every_window()
    {
        var data = Data.Value;
        var missed = 0;
        var otherAlarms = 0;
        for (var window = 0; window < Windows; window++)
        {
            var result = DriftDetector.Compare(data.Reference, data.Window(window, 500, shift: true));
            missed += result.Columns.Count(column => Applications.Shifted.Contains(column.Column) && !column.Drifted);
            otherAlarms += result.Columns.Count(column => !Applications.Shifted.Contains(column.Column) && column.Drifted);
        }

        output.WriteLine($"shifted (incomes x 0.7, amounts x 1.4, 30% of jobs a new category): {missed} misses of {Windows * Applications.Shifted.Length}; {otherAlarms} alarms on unshifted columns");
        Assert.Equal(0, missed);
    }

    /// <summary>credit_data without its label, split into a reference and the rows windows are drawn from.</summary>
    private sealed class Applications
    {
        public static readonly string[] Shifted = ["Income", "Amount", "Job"];

        private readonly CsvTable _table;
        private readonly string[] _columns;
        private readonly int[] _streamRows;

        public Applications(CsvTable table)
        {
            _table = table;
            _columns = [.. table.Header.Where(name => name != "Status")];
            var rows = Enumerable.Range(0, table.RowCount).ToArray();
            new Random(20261202).Shuffle(rows);
            Reference = [.. _columns.Select(name => Sample(name, rows[..ReferenceRows], shift: false))];
            _streamRows = rows[ReferenceRows..];
        }

        public IReadOnlyList<ColumnSample> Reference { get; }

        /// <summary>Window <paramref name="index"/>: rows drawn with replacement from the stream's rows, the same draw shifted or not.</summary>
        public IReadOnlyList<ColumnSample> Window(int index, int size, bool shift)
        {
            var random = new Random(index);
            var rows = Enumerable.Range(0, size).Select(_ => _streamRows[random.Next(_streamRows.Length)]).ToArray();
            return [.. _columns.Select(name => Sample(name, rows, shift))];
        }

        private ColumnSample Sample(string name, int[] rows, bool shift)
        {
            if (_table.Numbers(name) is { } numbers)
            {
                var factor = !shift ? 1.0 : name == "Income" ? 0.7 : name == "Amount" ? 1.4 : 1.0;
                return ColumnSample.Numeric(name, [.. rows.Select(row => numbers[row] * factor)]);
            }
            var text = _table.Column(name);
            // A new job category for every third or so application (by row, so the same rows in every draw).
            return ColumnSample.Categorical(name, rows.Select(row => shift && name == "Job" && row % 10 < 3 ? "gig" : text[row]));
        }
    }
}
