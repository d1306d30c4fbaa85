using Microsoft.Extensions.Options;

namespace CreditRisk.Training.Pipeline;

/// <summary>The models runs can be started for, by name, as configured under <c>Training:Models</c>.</summary>
public sealed class ModelCatalog(IOptions<Dictionary<string, TrainingModelOptions>> models)
{
    public IReadOnlyCollection<string> Names => models.Value.Keys;

    public bool TryGet(string modelName, out TrainingModelOptions model) =>
        models.Value.TryGetValue(modelName, out model!);
}
