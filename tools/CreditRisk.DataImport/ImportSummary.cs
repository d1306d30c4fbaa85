using System.Globalization;
using System.Text;

namespace CreditRisk.DataImport;

/// <summary>What an import did, by event kind.</summary>
public sealed class ImportSummary
{
    public int RowsRead { get; set; }

    public int RowsSkipped { get; set; }

    public List<string> Problems { get; } = [];

    /// <summary>Per kind ("application", ...): generated, accepted, duplicate, rejected, unavailable (after retries).</summary>
    public SortedDictionary<string, KindCounts> Kinds { get; } = new(StringComparer.Ordinal);

    public TimeSpan Elapsed { get; set; }

    public long Total(Func<KindCounts, long> count) => Kinds.Values.Sum(count);

    public KindCounts For(string kind)
    {
        if (!Kinds.TryGetValue(kind, out var counts))
        {
            Kinds[kind] = counts = new KindCounts();
        }
        return counts;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"rows read {RowsRead}, skipped {RowsSkipped}");
        text.AppendLine(culture, $"{"kind",-12} {"generated",10} {"accepted",10} {"duplicate",10} {"rejected",10} {"unavailable",12}");
        foreach (var (kind, counts) in Kinds)
        {
            text.AppendLine(culture, $"{kind,-12} {counts.Generated,10} {counts.Accepted,10} {counts.Duplicate,10} {counts.Rejected,10} {counts.Unavailable,12}");
        }
        text.AppendLine(culture, $"{"total",-12} {Total(c => c.Generated),10} {Total(c => c.Accepted),10} {Total(c => c.Duplicate),10} {Total(c => c.Rejected),10} {Total(c => c.Unavailable),12}");
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-9);
        text.Append(culture, $"elapsed {Elapsed.TotalSeconds:0.0} s, {Total(c => c.Accepted + c.Duplicate) / seconds:0} events/s settled");
        return text.ToString();
    }

    public sealed class KindCounts
    {
        public long Generated { get; set; }
        public long Accepted { get; set; }
        public long Duplicate { get; set; }
        public long Rejected { get; set; }
        public long Unavailable { get; set; }
    }
}
