using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Reports;

namespace CreditRisk.Modeling.Tests;

public sealed class EvaluationReportTests
{
    internal static EvaluationReportContent Content()
    {
        var random = new Random(5);
        var labels = Enumerable.Range(0, 600).Select(_ => random.NextDouble() < 0.3).ToArray();
        var scores = labels.Select(label => Math.Clamp((label ? 0.45 : 0.25) + (random.NextDouble() - 0.5) * 0.5, 0, 1)).ToArray();
        var jobs = labels.Select((_, i) => (i % 4) switch { 0 => "fixed", 1 => "freelance", 2 => "part_time", _ => (string?)null }).ToList();
        var evaluation = ModelEvaluation.Evaluate(labels, scores, new Dictionary<string, IReadOnlyList<string?>> { ["application:job"] = jobs });
        return new EvaluationReportContent(
            "credit_default <script>", 3, "credit_default_application", 1, "0123abcd", 2_400, 600, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
            "lightgbm", evaluation,
            [
                new CandidateSummary("lightgbm", 0.84, 0.01, 8, "leaves=8, learning_rate=0.03", true),
                new CandidateSummary("logistic-regression", 0.82, 0.012, 8, "l1=0.001", false),
            ]);
    }

    [Fact]
    public void The_report_is_one_self_contained_page_with_its_charts_and_tables()
    {
        var html = EvaluationReport.Render(Content());

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.Contains("credit_default &lt;script&gt;", html, StringComparison.Ordinal);
        foreach (var part in new[] { "ROC curve", "Calibration", "Score distribution by class", "Confusion matrix", "ROC AUC by segment", "Candidates", "0123abcd", "part_time", "(missing)", "lightgbm (winner)" })
        {
            Assert.Contains(part, html, StringComparison.Ordinal);
        }
    }
}
