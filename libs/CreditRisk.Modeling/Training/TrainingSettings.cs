namespace CreditRisk.Modeling.Training;

/// <summary>Cross-validation and search settings; Trials null means each candidate's own default.</summary>
public sealed record TrainingSettings(int Folds = 5, int Seed = 42, int? Trials = null);
