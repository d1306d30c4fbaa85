namespace CreditRisk.Registry.Search;

/// <summary>What a filter or order term refers to: a run's latest metric, param, tag, or one of its attributes.</summary>
public enum SearchEntity
{
    Metric,
    Param,
    Tag,
    Attribute,
}

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Like,
    ILike,
}

/// <summary>One "entity.key op value" comparison; <see cref="Value"/> is a double or a string.</summary>
public sealed record Comparison(SearchEntity Entity, string Key, ComparisonOperator Operator, object Value);

public sealed record OrderTerm(SearchEntity Entity, string Key, bool Descending);

/// <summary>Run attributes that can be filtered and ordered on.</summary>
public static class RunAttributes
{
    public const string RunId = "run_id";
    public const string RunName = "run_name";
    public const string Status = "status";
    public const string StartTime = "start_time";
    public const string EndTime = "end_time";

    public static string? Normalize(string name) => name.ToLowerInvariant() switch
    {
        "run_id" or "id" => RunId,
        "run_name" or "name" => RunName,
        "status" => Status,
        "start_time" => StartTime,
        "end_time" => EndTime,
        _ => null,
    };
}
