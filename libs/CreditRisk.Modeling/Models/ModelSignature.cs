using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditRisk.Modeling.Models;

/// <summary>
/// What a consumer needs to call a saved model: its inputs in order with their kinds, its output, and
/// how it was chosen (trainer, hyperparameters, cross-validated ROC AUC).
/// </summary>
public sealed record ModelSignature(
    IReadOnlyList<ModelInput> Inputs,
    ModelOutput Output,
    string Trainer,
    IReadOnlyDictionary<string, double> Hyperparameters,
    double CrossValidatedRocAuc)
{
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelSignature FromJson(string json) =>
        JsonSerializer.Deserialize<ModelSignature>(json, JsonOptions)
        ?? throw new InvalidDataException("the model signature is empty");
}
