using CreditRisk.Modeling.Models;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// One registry model version, verified, loaded and warmed: immutable once built, shared by every arm and request that
/// serves it. <see cref="ScoreVector"/> is the seam for protocols that bring their own feature vector (the Open
/// Inference Protocol service scores through it).
/// </summary>
public sealed class LoadedModel(string name, int version, string artifactSha256, CreditRiskModel model, ModelFeatures features)
{
    public string Name { get; } = name;

    public int Version { get; } = version;

    public string ArtifactSha256 { get; } = artifactSha256;

    public CreditRiskModel Model { get; } = model;

    public ModelFeatures Features { get; } = features;

    public ModelSignature Signature => Model.Signature;

    /// <summary>
    /// The probability of default for values in the signature's input order: a double (or any number) for a numeric
    /// input, text for a categorical one, null for missing (the model imputes what training declared).
    /// </summary>
    public double ScoreVector(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Features.Inputs.Count)
        {
            throw new ArgumentException($"{Name} v{Version} takes {Features.Inputs.Count} inputs, not {values.Count}", nameof(values));
        }
        return Model.Score(new InputVector(Features.Inputs, values));
    }

    /// <summary>The probabilities of many vectors in one pass.</summary>
    public double[] ScoreVectors(IEnumerable<IReadOnlyList<object?>> rows) => Model.ScoreMany(rows);

    public override string ToString() => $"{Name} v{Version}";
}
