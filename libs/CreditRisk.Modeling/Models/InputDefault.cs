namespace CreditRisk.Modeling.Models;

/// <summary>
/// What training put in place of a missing input, so a scorer can declare (and a drift monitor reason about) the value a
/// missing feature effectively takes. Numeric: <see cref="Value"/> is the training mean the model imputes (plus a
/// missing indicator). Categorical: the model one-hot encodes the training <see cref="Categories"/>; a missing value is
/// its own category when <see cref="MissingSeen"/>, and any value outside the vocabulary adds nothing (a zero vector).
/// </summary>
public sealed record InputDefault(string Treatment, double? Value = null, IReadOnlyList<string>? Categories = null, bool MissingSeen = false)
{
    public const string MeanTreatment = "mean";
    public const string UnseenZeroVectorTreatment = "unseen_zero_vector";

    public static InputDefault Mean(double mean) => new(MeanTreatment, mean);

    public static InputDefault Categorical(IReadOnlyList<string> categories, bool missingSeen) =>
        new(UnseenZeroVectorTreatment, null, categories, missingSeen);
}
