using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Models;

/// <summary>Computes each input's <see cref="InputDefault"/> from the rows a model is fitted on, as the feature pipeline treats them.</summary>
public static class InputDefaults
{
    public static IReadOnlyList<ModelInput> Of(LabelledDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var inputs = new List<ModelInput>(dataset.Features.Count);
        var numericSlot = 0;
        for (var f = 0; f < dataset.Features.Count; f++)
        {
            var feature = dataset.Features[f];
            var values = dataset.Values.Select(row => row[f]);
            if (feature.Kind == ColumnKind.Numeric)
            {
                // ML.NET's mean replacement averages the float values it sees, skipping NaN.
                var slot = numericSlot++;
                var present = dataset.Rows.Select(row => row.Numeric[slot])
                    .Where(value => !float.IsNaN(value)).Select(value => (double)value).ToList();
                inputs.Add(new ModelInput(feature.Name, feature.Kind, "double", InputDefault.Mean(present.Count == 0 ? 0 : present.Average())));
            }
            else
            {
                var texts = values.Select(value => ModelInputSchema.Category(feature.Name, value)[(feature.Name.Length + 1)..]).ToList();
                var categories = texts.Where(text => text.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                inputs.Add(new ModelInput(feature.Name, feature.Kind, "string", InputDefault.Categorical(categories, texts.Any(text => text.Length == 0))));
            }
        }
        return inputs;
    }
}
