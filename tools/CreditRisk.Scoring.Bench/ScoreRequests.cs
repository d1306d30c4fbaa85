using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.DataImport;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// The one place Score requests are built: credit_data applications in an order shuffled by the seed, each request with
/// its own id (so the service's idempotency window never answers from its cache) and the row's customer.
/// </summary>
public sealed class ScoreRequests
{
    private readonly IReadOnlyList<(CreditDataRow Row, Contracts.Common.V1.LoanApplication Application)> _applications;
    private readonly int _seed;

    public ScoreRequests(IEnumerable<CreditDataRow> rows, int seed, string modelName = "")
    {
        _seed = seed;
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

    /// <summary>The <paramref name="index"/>-th request; the applications repeat, the ids never do.</summary>
    public ScoreRequest Get(long index)
    {
        var (row, application) = _applications[(int)(index % _applications.Count)];
        return new ScoreRequest
        {
            RequestId = $"bench-{_seed}-{index}",
            ApplicationId = $"bench-application-{_seed}-{index}",
            CustomerId = $"customer-{row.RowNumber}",
            Application = application,
            ModelName = ModelName,
        };
    }
}
