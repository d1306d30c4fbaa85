using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Reports;

/// <summary>What the evaluation report shows: who and what was evaluated, the evaluation itself and the candidates' search.</summary>
public sealed record EvaluationReportContent(
    string ModelName,
    int? ModelVersion,
    string? FeatureService,
    int? FeatureServiceVersion,
    string DatasetDigest,
    long TrainingRows,
    long EvaluationRows,
    DateTimeOffset? Cutoff,
    string Trainer,
    ModelEvaluation Evaluation,
    IReadOnlyList<CandidateSummary> Candidates,
    IReadOnlyList<(string Name, string Value)>? Notes = null);

/// <summary>One candidate's best trial in the search: its cross-validated ROC AUC (mean and spread over folds) and hyperparameters.</summary>
public sealed record CandidateSummary(string Name, double CvRocAuc, double CvRocAucStandardDeviation, int Trials, string Hyperparameters, bool Winner);
