using System.Text;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tracking;
using Npgsql;

namespace CreditRisk.Registry.Search;

/// <summary>
/// Turns parsed comparisons and order terms into parameterised SQL. User text only ever becomes a
/// parameter value; operators, tables and columns come from fixed lists.
/// </summary>
/// <remarks>
/// When the first order term is a metric, param or tag, the search runs in two phases: runs that have
/// the key, driven by the (key, value, run_id) index in order (so the first page reads only a page's
/// worth of index entries), then runs without it (MLflow puts them last).
/// </remarks>
public sealed class SearchQueryBuilder
{
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly StringBuilder _where = new();
    private readonly StringBuilder _joins = new();
    private readonly List<string> _orderColumns = [];
    private string _tieBreak = "r.run_id DESC";

    public SearchQueryBuilder(IReadOnlyList<long> experimentIds, RunViewType viewType, IReadOnlyList<Comparison> filter, IReadOnlyList<OrderTerm> order)
    {
        // A single experiment is an equality, so the (experiment_id, start_time, run_id) index also yields the order.
        if (experimentIds.Count == 1)
        {
            _where.Append(" AND r.experiment_id = ").Append(Add(experimentIds[0]));
        }
        else if (experimentIds.Count > 1)
        {
            _where.Append(" AND r.experiment_id = ANY(").Append(Add(experimentIds.ToArray())).Append(')');
        }
        _where.Append(viewType switch
        {
            RunViewType.DeletedOnly => " AND r.deleted_time IS NOT NULL",
            RunViewType.All => "",
            _ => " AND r.deleted_time IS NULL",
        });
        foreach (var comparison in filter)
        {
            _where.Append(" AND ").Append(Condition(comparison));
        }

        var terms = order.Count == 0 ? [new OrderTerm(SearchEntity.Attribute, RunAttributes.StartTime, Descending: true)] : order;
        var first = terms[0];
        if (first.Entity != SearchEntity.Attribute)
        {
            LeadingKeyTable = TableOf(first.Entity);
            LeadingKeyParameter = Add(first.Key);
            LeadingDescending = first.Descending;
        }
        for (var i = LeadingKeyTable is null ? 0 : 1; i < terms.Count; i++)
        {
            var term = terms[i];
            var direction = term.Descending ? "DESC" : "ASC";
            if (term.Entity == SearchEntity.Attribute)
            {
                // Only end_time can be null; a NULLS clause elsewhere would stop the indexes from serving the order.
                _orderColumns.Add(term.Key == RunAttributes.EndTime
                    ? $"{AttributeColumn(term.Key)} {direction} NULLS LAST"
                    : $"{(term.Key == RunAttributes.RunId ? "r.run_id" : AttributeColumn(term.Key))} {direction}");
            }
            else
            {
                var alias = $"o{i}";
                _joins.Append($" LEFT JOIN {TableOf(term.Entity)} {alias} ON {alias}.run_id = r.run_id AND {alias}.key = {Add(term.Key)}");
                _orderColumns.Add($"{alias}.value {direction} NULLS LAST");
            }
        }
        // The tie-break follows the leading direction, so a descending index scan serves both.
        _tieBreak = (LeadingKeyTable is not null ? LeadingDescending : first.Descending) ? "r.run_id DESC" : "r.run_id ASC";
    }

    /// <summary>Table of the leading order key (latest_metrics, params or tags), or null when it is an attribute.</summary>
    public string? LeadingKeyTable { get; }

    private string? LeadingKeyParameter { get; }

    private bool LeadingDescending { get; }

    public bool HasTwoPhases => LeadingKeyTable is not null;

    /// <summary>The query of <paramref name="phase"/>, selecting run rows (RunReader.RunColumns) in page order.</summary>
    public NpgsqlCommand Build(NpgsqlConnection connection, int phase, long offset, int limit)
    {
        var sql = new StringBuilder("SELECT ").Append(RunReader.RunColumns);
        var orderBy = new List<string>();
        if (HasTwoPhases && phase == 0)
        {
            var direction = LeadingDescending ? "DESC" : "ASC";
            sql.Append($" FROM {LeadingKeyTable} lead JOIN runs r ON r.run_id = lead.run_id").Append(_joins)
               .Append($" WHERE lead.key = {LeadingKeyParameter}").Append(_where);
            orderBy.Add($"lead.value {direction}");
        }
        else
        {
            sql.Append(" FROM runs r").Append(_joins).Append(" WHERE TRUE").Append(_where);
            if (HasTwoPhases)
            {
                sql.Append($" AND NOT EXISTS (SELECT 1 FROM {LeadingKeyTable} lead WHERE lead.run_id = r.run_id AND lead.key = {LeadingKeyParameter})");
            }
        }
        orderBy.AddRange(_orderColumns);
        orderBy.Add(_tieBreak);
        sql.Append(" ORDER BY ").AppendJoin(", ", orderBy);

        var command = new NpgsqlCommand { Connection = connection };
        foreach (var parameter in _parameters)
        {
            command.Parameters.Add(parameter.Clone());
        }
        sql.Append(" LIMIT $").Append(command.Parameters.Count + 1).Append(" OFFSET $").Append(command.Parameters.Count + 2);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
        command.Parameters.Add(new NpgsqlParameter { Value = offset });
        command.CommandText = sql.ToString();
        return command;
    }

    private string Condition(Comparison comparison)
    {
        var op = comparison.Operator switch
        {
            ComparisonOperator.Equal => "=",
            ComparisonOperator.NotEqual => "<>",
            ComparisonOperator.Less => "<",
            ComparisonOperator.LessOrEqual => "<=",
            ComparisonOperator.Greater => ">",
            ComparisonOperator.GreaterOrEqual => ">=",
            ComparisonOperator.Like => "LIKE",
            ComparisonOperator.ILike => "ILIKE",
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
        if (comparison.Entity != SearchEntity.Attribute)
        {
            var table = TableOf(comparison.Entity);
            return $"EXISTS (SELECT 1 FROM {table} f WHERE f.run_id = r.run_id AND f.key = {Add(comparison.Key)} AND f.value {op} {Add(comparison.Value)})";
        }
        return comparison.Key switch
        {
            RunAttributes.StartTime or RunAttributes.EndTime =>
                $"{AttributeColumn(comparison.Key)} {op} {Add(DateTime.UnixEpoch.AddMilliseconds((double)comparison.Value))}",
            RunAttributes.Status =>
                $"r.status {op} {Add(StatusValue((string)comparison.Value))}",
            _ => $"{AttributeColumn(comparison.Key)} {op} {Add(comparison.Value)}",
        };
    }

    private static short StatusValue(string text)
    {
        RunStatusRules.TryParse(text, out var status);
        return (short)status;
    }

    private static string TableOf(SearchEntity entity) => entity switch
    {
        SearchEntity.Metric => "latest_metrics",
        SearchEntity.Param => "params",
        SearchEntity.Tag => "tags",
        _ => throw new ArgumentOutOfRangeException(nameof(entity)),
    };

    private static string AttributeColumn(string attribute) => attribute switch
    {
        RunAttributes.RunId => "r.run_id::text",
        RunAttributes.RunName => "r.name",
        RunAttributes.Status => "r.status",
        RunAttributes.StartTime => "r.start_time",
        RunAttributes.EndTime => "r.end_time",
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };

    private string Add(object value)
    {
        _parameters.Add(new NpgsqlParameter { Value = value });
        return "$" + _parameters.Count;
    }
}
