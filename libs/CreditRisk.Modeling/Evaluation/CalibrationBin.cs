namespace CreditRisk.Modeling.Evaluation;

/// <summary>One bin of a calibration curve: its score range, how many rows fell in it, their mean predicted probability and observed positive rate.</summary>
public sealed record CalibrationBin(double Lower, double Upper, long Count, double MeanPredicted, double ObservedRate);
