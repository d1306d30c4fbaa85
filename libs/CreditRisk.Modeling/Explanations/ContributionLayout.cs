using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Pipelines;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// Which signature input each slot of the model's feature vector comes from, as <see cref="FeaturePipeline"/> lays it
/// out: the imputed numeric values, their missing indicators (in numeric order), then the one-hot slots named
/// "column=value". Computed once per model so explaining a row is a single pass over the slots.
/// </summary>
internal sealed class ContributionLayout
{
    private const string OneHotColumn = "CategoricalOneHot";

    private ContributionLayout(int[] slotInputs) => SlotInputs = slotInputs;

    /// <summary>The signature position of each feature slot's input.</summary>
    public int[] SlotInputs { get; }

    public static ContributionLayout For(ModelInputSchema schema, DataViewSchema transformed)
    {
        var inputIndex = schema.Features.Select((feature, index) => (feature.Name, index)).ToDictionary(f => f.Name, f => f.index, StringComparer.Ordinal);
        var slots = new List<int>();
        var numeric = schema.NumericColumns.Select(name => inputIndex[name]).ToList();
        slots.AddRange(numeric);
        slots.AddRange(numeric);
        if (schema.CategoricalColumns.Count > 0)
        {
            var column = transformed.GetColumnOrNull(OneHotColumn)
                ?? throw new InvalidOperationException($"the model has no {OneHotColumn} column; it was not built by the feature pipeline");
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            column.GetSlotNames(ref names);
            // Longest name first, so an input named "a=b" is not taken for input "a" with a value starting "b".
            var categorical = schema.CategoricalColumns.OrderByDescending(name => name.Length).ToList();
            foreach (var token in names.DenseValues())
            {
                var text = token.ToString();
                var owner = categorical.FirstOrDefault(name => text.StartsWith(name + "=", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"the one-hot slot \"{text}\" names no categorical input of the signature");
                slots.Add(inputIndex[owner]);
            }
        }
        var features = transformed.GetColumnOrNull(FeaturePipeline.FeaturesColumn)
            ?? throw new InvalidOperationException($"the model has no {FeaturePipeline.FeaturesColumn} column");
        var size = features.Type is VectorDataViewType vector ? vector.Size : 1;
        if (size != slots.Count)
        {
            throw new InvalidOperationException(
                $"the model's feature vector has {size} slots but its signature's inputs derive {slots.Count}; it was not built by the feature pipeline");
        }
        return new ContributionLayout([.. slots]);
    }
}
