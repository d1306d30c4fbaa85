using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditRisk.Modeling.Models;

/// <summary>
/// What a consumer needs to call a saved model: the feature service (and version) its inputs come from, its inputs in
/// order with their kinds, types and missing-value defaults, its output, and how it was chosen (trainer,
/// hyperparameters, cross-validated ROC AUC). Fields added later are optional, so older signature.json files load.
/// </summary>
public sealed record ModelSignature(
    IReadOnlyList<ModelInput> Inputs,
    ModelOutput Output,
    string Trainer,
    IReadOnlyDictionary<string, double> Hyperparameters,
    double CrossValidatedRocAuc)
{
    /// <summary>The feature service the inputs are named after ("view:feature"); null for a model trained on a CSV.</summary>
    public string? FeatureService { get; init; }

    public int? FeatureServiceVersion { get; init; }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelSignature FromJson(string json) =>
        JsonSerializer.Deserialize<ModelSignature>(json, JsonOptions)
        ?? throw new InvalidDataException("the model signature is empty");
}
