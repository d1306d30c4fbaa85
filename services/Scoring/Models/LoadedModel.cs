using CreditRisk.Modeling.Explanations;
using CreditRisk.Modeling.Models;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// One registry model version, verified, loaded and warmed: immutable once built, shared by every arm and request that
/// serves it. <see cref="ScoreVector"/> is the seam for protocols that bring their own feature vector (the Open
/// Inference Protocol service scores through it); <see cref="Explainer"/> gives the probability and the reason codes in
/// one pass. Disposed (its explainer's engines) when it leaves the <see cref="LoadedModelCache"/> and is no longer served.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    public LoadedModel(string name, int version, string artifactSha256, CreditRiskModel model, ModelFeatures features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        Name = name;
        Version = version;
        ArtifactSha256 = artifactSha256;
        Model = model;
        Features = features;
        Explainer = ModelExplainer.Create(model, features.ReadableNames);
    }

    public string Name { get; }

    public int Version { get; }

    public string ArtifactSha256 { get; }

    public CreditRiskModel Model { get; }

    public ModelFeatures Features { get; }

    /// <summary>The model's reason codes (contributions in log-odds), prepared once at load; thread-safe.</summary>
    public ModelExplainer Explainer { get; }

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

    public void Dispose() => Explainer.Dispose();

    public override string ToString() => $"{Name} v{Version}";
}
