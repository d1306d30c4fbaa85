using CreditRisk.FeatureStore;
using CreditRisk.Modeling.Models;

namespace CreditRisk.Scoring.Models;

/// <summary>
/// Where each input of a model comes from: the feature registry's definition of "view:feature", split into the
/// request-time application features (computed from the request) and the customer features (read online). Resolved once
/// per loaded model; <see cref="OnlineFeatures"/> is one list instance, so the online store's per-list plan is reused.
/// </summary>
public sealed class ModelFeatures
{
    private ModelFeatures(IReadOnlyList<ModelInput> inputs, IReadOnlyList<ResolvedFeature> resolved)
    {
        Inputs = inputs;
        Resolved = resolved;
        var application = new List<(int, string)>();
        var online = new List<ResolvedFeature>();
        var onlinePositions = new List<int>();
        for (var i = 0; i < resolved.Count; i++)
        {
            if (resolved[i].View.Entity == Entities.Application)
            {
                application.Add((i, resolved[i].Definition.Name));
            }
            else
            {
                online.Add(resolved[i]);
                onlinePositions.Add(i);
            }
        }
        ApplicationInputs = application;
        OnlineFeatures = online;
        OnlinePositions = onlinePositions;
        ReadableNames = inputs.Zip(resolved).ToDictionary(pair => pair.First.Name, pair => ReadableName(pair.Second), StringComparer.Ordinal);
    }

    /// <summary>The model's inputs, in its order.</summary>
    public IReadOnlyList<ModelInput> Inputs { get; }

    /// <summary>Each input's registry definition, in input order.</summary>
    public IReadOnlyList<ResolvedFeature> Resolved { get; }

    /// <summary>Input position and the application feature's name (a key of <see cref="ApplicationFeatures.Compute"/>).</summary>
    public IReadOnlyList<(int Position, string Feature)> ApplicationInputs { get; }

    /// <summary>The features read from the online store, in the order of <see cref="OnlinePositions"/>.</summary>
    public IReadOnlyList<ResolvedFeature> OnlineFeatures { get; }

    public IReadOnlyList<int> OnlinePositions { get; }

    /// <summary>Each input's readable name for reason codes, from its feature definition's description.</summary>
    public IReadOnlyDictionary<string, string> ReadableNames { get; }

    /// <summary>
    /// Resolves every input against the model's feature service (or, for a model that names none, as a "view:feature"
    /// reference); throws <see cref="ModelLoadException"/> naming an input the registry does not define.
    /// </summary>
    public static ModelFeatures Of(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Dictionary<string, ResolvedFeature> byName;
        if (signature.FeatureService is { } service)
        {
            if (!FeatureRegistry.TryGetService(service, signature.FeatureServiceVersion, out var definition))
            {
                throw new ModelLoadException("feature_service", $"the model's feature service {service}@{signature.FeatureServiceVersion} is not in this service's feature registry");
            }
            byName = FeatureRegistry.Resolve(FeatureSelection.Service(definition.Name, definition.Version))
                .ToDictionary(feature => feature.Name, StringComparer.Ordinal);
        }
        else
        {
            byName = new Dictionary<string, ResolvedFeature>(StringComparer.Ordinal);
        }
        var resolved = new List<ResolvedFeature>(signature.Inputs.Count);
        foreach (var input in signature.Inputs)
        {
            if (byName.TryGetValue(input.Name, out var feature))
            {
                resolved.Add(feature);
                continue;
            }
            try
            {
                resolved.Add(FeatureRegistry.Resolve(FeatureReference.Parse(input.Name)));
            }
            catch (Exception unknown) when (unknown is KeyNotFoundException or FormatException or ArgumentException)
            {
                throw new ModelLoadException("signature", $"model input '{input.Name}' is not a feature of the registry: {unknown.Message}");
            }
        }
        return new ModelFeatures(signature.Inputs, resolved);
    }

    /// <summary>
    /// "Monthly income; null when not stated." as "Monthly income", "Housing: rent, owner, ..." as "Housing": the
    /// description's first clause, which names the feature (the rest documents its encoding). A description that starts
    /// with a lower-case word lists values rather than naming the feature, so that feature is named from its own name.
    /// </summary>
    public static string ReadableName(ResolvedFeature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var clause = feature.Definition.Description.Split([';', ':'], 2)[0].Trim().TrimEnd('.').Trim();
        return clause.Length > 0 && char.IsUpper(clause[0]) ? clause : CreditRisk.Modeling.Explanations.ReadableNames.FromInputName(feature.Name);
    }
}
