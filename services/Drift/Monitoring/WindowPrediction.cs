using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>A prediction of a window and, once its loan has one, its outcome (true = defaulted).</summary>
public sealed record WindowPrediction(PredictionLogged Prediction, bool? Defaulted);
