namespace CreditRisk.Training.Steps;

/// <summary>
/// One labelled application of a training set: its keys and time, its label and when that label became known, each
/// feature's value (double, long, string, bool or null, in the set's feature order) and the event time of the vector
/// the value came from (null when no candidate).
/// </summary>
public sealed record TrainingSetRow(
    string ApplicationId,
    string CustomerId,
    DateTimeOffset ApplicationTime,
    int Label,
    DateTimeOffset LabelKnownAt,
    IReadOnlyList<object?> Values,
    IReadOnlyList<DateTimeOffset?> EventTimes);
