using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.DataImport;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// The one place Score requests are built: credit_data applications in an order shuffled by the seed, each request with
/// the row's customer and an id never issued before, in this run or an earlier one against the same service (so the
/// idempotency window never answers from its cache): the run's own prefix and a sequence across all scenarios.
/// </summary>
public sealed class ScoreRequests
{
    private readonly IReadOnlyList<(CreditDataRow Row, Contracts.Common.V1.LoanApplication Application)> _applications;
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private long _issued;

    public ScoreRequests(IEnumerable<CreditDataRow> rows, int seed, string modelName = "")
    {
        ModelName = modelName;
        var applications = rows
            .Select(row => (Row: row, Application: CreditDataMapper.ToApplication(row, out _)))
            .Where(pair => pair.Application is not null)
            .Select(pair => (pair.Row, pair.Application!))
            .ToArray();
        if (applications.Length == 0)
        {
            throw new ArgumentException("no row of the file maps to an application", nameof(rows));
        }
        new Random(seed).Shuffle(applications);
        _applications = applications;
    }

    public string ModelName { get; }

    public int Count => _applications.Count;

    public static ScoreRequests FromFile(string path, int seed, string modelName = "") =>
        new(CreditDataCsvReader.ReadFile(path), seed, modelName);

    /// <summary>The <paramref name="index"/>-th application as a new request: the applications repeat, the ids never do.</summary>
    public ScoreRequest Get(long index)
    {
        var (row, application) = _applications[(int)(index % _applications.Count)];
        var sequence = Interlocked.Increment(ref _issued);
        return new ScoreRequest
        {
            RequestId = $"bench-{_run}-{sequence}",
            ApplicationId = $"bench-application-{_run}-{sequence}",
            CustomerId = $"customer-{row.RowNumber}",
            Application = application,
            ModelName = ModelName,
        };
    }
}
