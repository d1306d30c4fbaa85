using System.Globalization;
using System.Text;
using CreditRisk.Contracts.Rpc;
using Grpc.Core;

namespace CreditRisk.Registry.Search;

/// <summary>
/// Parses MLflow-style filters ("metrics.auc > 0.8 AND params.learner = 'fasttree'") and order-by terms
/// ("metrics.auc DESC"). Only the structure is interpreted; keys and values stay data (SQL parameters).
/// </summary>
public static class SearchExpressionParser
{
    public static IReadOnlyList<Comparison> ParseFilter(string? filter)
    {
        var comparisons = new List<Comparison>();
        if (string.IsNullOrWhiteSpace(filter))
        {
            return comparisons;
        }
        var scanner = new Scanner(filter, "filter");
        while (true)
        {
            comparisons.Add(ParseComparison(scanner));
            scanner.SkipWhitespace();
            if (scanner.AtEnd)
            {
                return comparisons;
            }
            var word = scanner.ReadWord();
            if (!word.Equals("AND", StringComparison.OrdinalIgnoreCase))
            {
                throw scanner.Error($"expected AND or the end, found '{word}' (only AND of comparisons is supported)");
            }
        }
    }

    public static OrderTerm ParseOrderBy(string term, int index)
    {
        var scanner = new Scanner(term, $"order_by[{index}]");
        var (entity, key) = ParseIdentifier(scanner);
        scanner.SkipWhitespace();
        var descending = false;
        if (!scanner.AtEnd)
        {
            var direction = scanner.ReadWord();
            if (direction.Equals("DESC", StringComparison.OrdinalIgnoreCase))
            {
                descending = true;
            }
            else if (!direction.Equals("ASC", StringComparison.OrdinalIgnoreCase))
            {
                throw scanner.Error($"expected ASC or DESC, found '{direction}'");
            }
            scanner.SkipWhitespace();
            if (!scanner.AtEnd)
            {
                throw scanner.Error("unexpected text after the direction");
            }
        }
        return new OrderTerm(entity, key, descending);
    }

    private static Comparison ParseComparison(Scanner scanner)
    {
        var (entity, key) = ParseIdentifier(scanner);
        scanner.SkipWhitespace();
        var op = ParseOperator(scanner);
        scanner.SkipWhitespace();
        var value = ParseValue(scanner);

        switch (entity)
        {
            case SearchEntity.Metric:
                if (op is ComparisonOperator.Like or ComparisonOperator.ILike)
                {
                    throw scanner.Error($"metrics.{key}: LIKE applies to params, tags and text attributes");
                }
                if (value is not double)
                {
                    throw scanner.Error($"metrics.{key} compares with a number");
                }
                break;
            case SearchEntity.Param or SearchEntity.Tag:
                if (value is not string)
                {
                    throw scanner.Error($"{(entity == SearchEntity.Param ? "params" : "tags")}.{key} compares with a quoted string");
                }
                break;
            case SearchEntity.Attribute:
                ValidateAttribute(scanner, key, op, value);
                break;
        }
        return new Comparison(entity, key, op, value);
    }

    private static void ValidateAttribute(Scanner scanner, string key, ComparisonOperator op, object value)
    {
        switch (key)
        {
            case RunAttributes.StartTime or RunAttributes.EndTime:
                if (value is not double || op is ComparisonOperator.Like or ComparisonOperator.ILike)
                {
                    throw scanner.Error($"attributes.{key} compares with a number of milliseconds since the epoch");
                }
                break;
            case RunAttributes.Status:
                if (value is not string status || !Tracking.RunStatusRules.TryParse(status, out _))
                {
                    throw scanner.Error("attributes.status compares with 'RUNNING', 'FINISHED', 'FAILED' or 'KILLED'");
                }
                if (op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
                {
                    throw scanner.Error("attributes.status supports = and != only");
                }
                break;
            default:
                if (value is not string)
                {
                    throw scanner.Error($"attributes.{key} compares with a quoted string");
                }
                break;
        }
    }

    private static (SearchEntity Entity, string Key) ParseIdentifier(Scanner scanner)
    {
        scanner.SkipWhitespace();
        var start = scanner.Position;
        var prefix = scanner.ReadWhile(c => char.IsAsciiLetter(c) || c == '_');
        if (prefix.Length == 0)
        {
            throw scanner.Error("expected metrics.<key>, params.<key>, tags.<key> or attributes.<name>");
        }
        SearchEntity entity;
        switch (prefix.ToLowerInvariant())
        {
            case "metric" or "metrics": entity = SearchEntity.Metric; break;
            case "param" or "params" or "parameter" or "parameters": entity = SearchEntity.Param; break;
            case "tag" or "tags": entity = SearchEntity.Tag; break;
            case "attribute" or "attributes" or "attr" or "run": entity = SearchEntity.Attribute; break;
            default:
                // A bare attribute name, e.g. "start_time DESC".
                if (RunAttributes.Normalize(prefix) is { } bare && (scanner.AtEnd || scanner.Peek != '.'))
                {
                    return (SearchEntity.Attribute, bare);
                }
                throw scanner.Error($"unknown entity '{prefix}'; use metrics., params., tags. or attributes.", start);
        }
        if (scanner.AtEnd || scanner.Peek != '.')
        {
            throw scanner.Error($"expected '.' and a key after '{prefix}'");
        }
        scanner.Advance();
        string key;
        if (!scanner.AtEnd && scanner.Peek is '`' or '"')
        {
            key = scanner.ReadQuoted();
        }
        else
        {
            key = scanner.ReadWhile(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':');
        }
        if (key.Length == 0)
        {
            throw scanner.Error($"expected a key after '{prefix}.'");
        }
        if (entity == SearchEntity.Attribute)
        {
            key = RunAttributes.Normalize(key)
                ?? throw scanner.Error($"unknown attribute '{key}'; use run_id, run_name, status, start_time or end_time", start);
        }
        return (entity, key);
    }

    private static ComparisonOperator ParseOperator(Scanner scanner)
    {
        if (scanner.AtEnd)
        {
            throw scanner.Error("expected a comparison operator");
        }
        if (char.IsAsciiLetter(scanner.Peek))
        {
            var word = scanner.ReadWord();
            return word.ToUpperInvariant() switch
            {
                "LIKE" => ComparisonOperator.Like,
                "ILIKE" => ComparisonOperator.ILike,
                _ => throw scanner.Error($"unknown operator '{word}'"),
            };
        }
        var symbol = scanner.ReadWhile(c => c is '=' or '!' or '<' or '>');
        return symbol switch
        {
            "=" or "==" => ComparisonOperator.Equal,
            "!=" or "<>" => ComparisonOperator.NotEqual,
            "<" => ComparisonOperator.Less,
            "<=" => ComparisonOperator.LessOrEqual,
            ">" => ComparisonOperator.Greater,
            ">=" => ComparisonOperator.GreaterOrEqual,
            _ => throw scanner.Error($"unknown operator '{symbol}'; use =, !=, <, <=, >, >=, LIKE or ILIKE"),
        };
    }

    private static object ParseValue(Scanner scanner)
    {
        if (scanner.AtEnd)
        {
            throw scanner.Error("expected a value");
        }
        if (scanner.Peek is '\'' or '"')
        {
            return scanner.ReadQuoted();
        }
        var text = scanner.ReadWhile(c => char.IsAsciiDigit(c) || c is '-' or '+' or '.' or 'e' or 'E');
        if (text.Length > 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }
        throw scanner.Error("expected a number or a quoted string");
    }

    private sealed class Scanner(string text, string field)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public char Peek => text[Position];

        public void Advance() => Position++;

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(Peek))
            {
                Position++;
            }
        }

        public string ReadWhile(Func<char, bool> accept)
        {
            var start = Position;
            while (!AtEnd && accept(Peek))
            {
                Position++;
            }
            return text[start..Position];
        }

        public string ReadWord()
        {
            SkipWhitespace();
            return ReadWhile(c => !char.IsWhiteSpace(c));
        }

        /// <summary>Reads '...', "..." or `...`; a doubled quote inside stands for itself.</summary>
        public string ReadQuoted()
        {
            var quote = Peek;
            var start = Position;
            Position++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error($"unterminated {quote}", start);
                }
                var c = text[Position++];
                if (c == quote)
                {
                    if (!AtEnd && Peek == quote)
                    {
                        value.Append(quote);
                        Position++;
                        continue;
                    }
                    return value.ToString();
                }
                value.Append(c);
            }
        }

        public RpcException Error(string problem, int? at = null) =>
            FieldViolations.Single(field, $"{problem} (at position {(at ?? Position) + 1})");
    }
}
