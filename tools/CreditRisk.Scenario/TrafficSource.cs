using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.DataImport;

namespace CreditRisk.Scenario;

/// <summary>
/// The scenario's new applications, the <c>index</c>-th one the same for a seed: each is a dataset row (cycling
/// through the file) re-submitted by its customer under a new application id; from <c>shiftFrom</c> on they come from
/// the shifted population (<see cref="ShiftSettings"/>).
/// </summary>
public sealed class TrafficSource
{
    private readonly IReadOnlyList<(CreditDataRow Row, LoanApplication Application)> _rows;
    private readonly ShiftSettings _shift;
    private readonly int _seed;
    private readonly string _runTag;

    /// <param name="runTag">Part of every application id, so a second scenario run submits new applications.</param>
    public TrafficSource(IEnumerable<CreditDataRow> rows, ShiftSettings shift, int seed, string runTag)
    {
        _rows = [.. rows
            .Select(row => (Row: row, Application: CreditDataMapper.ToApplication(row, out _)))
            .Where(pair => pair.Application is not null && pair.Row.Defaulted is not null)
            .Select(pair => (pair.Row, pair.Application!))];
        if (_rows.Count == 0)
        {
            throw new ArgumentException("the dataset has no usable row (an application with a known status)", nameof(rows));
        }
        _shift = shift;
        _seed = seed;
        _runTag = runTag;
    }

    public ScenarioApplication Get(int index, bool shifted)
    {
        var random = new SeededRandom(_seed, index, "scenario");
        var (row, original) = _rows[random.Next(0, _rows.Count)];
        var application = original.Clone();
        LoanOutcome? outcome = null;
        if (shifted)
        {
            if (application.HasIncome)
            {
                application.Income = Math.Round(application.Income * _shift.IncomeFactor);
            }
            application.Amount = Math.Round(application.Amount * _shift.AmountFactor);
            application.Price = Math.Max(application.Price, application.Amount);
            var platform = random.Chance(_shift.PlatformShare);
            if (platform)
            {
                application.Job = JobType.Platform;
            }
            var defaulted = platform ? random.Chance(_shift.PlatformDefaultRate) : row.Defaulted!.Value;
            outcome = defaulted ? LoanOutcome.Defaulted : LoanOutcome.Repaid;
        }
        return new ScenarioApplication(
            index,
            $"scn-{_runTag}-{index:D6}",
            ApplicationSynthesiser.CustomerId(row.RowNumber),
            application,
            shifted,
            outcome);
    }
}
