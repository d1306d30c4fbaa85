using Microsoft.ML;
using Microsoft.ML.Data;

namespace CreditRisk.Modeling.Data;

/// <summary>Turns named feature values into <see cref="ModelInputRow"/>s and row lists into ML.NET data views.</summary>
public sealed class ModelInputSchema
{
    private const string MissingCategory = "";

    public ModelInputSchema(IReadOnlyList<FeatureColumn> features)
    {
        Features = features;
        NumericColumns = features.Where(f => f.Kind == ColumnKind.Numeric).Select(f => f.Name).ToList();
        CategoricalColumns = features.Where(f => f.Kind == ColumnKind.Categorical).Select(f => f.Name).ToList();
        SchemaDefinition = SchemaDefinition.Create(typeof(ModelInputRow));
        // A vector needs at least one slot; an unused slot stays out of the features (see FeaturePipeline).
        SchemaDefinition[nameof(ModelInputRow.Numeric)].ColumnType =
            new VectorDataViewType(NumberDataViewType.Single, Math.Max(1, NumericColumns.Count));
        SchemaDefinition[nameof(ModelInputRow.Categorical)].ColumnType =
            new VectorDataViewType(TextDataViewType.Instance, Math.Max(1, CategoricalColumns.Count));
    }

    public IReadOnlyList<FeatureColumn> Features { get; }

    public IReadOnlyList<string> NumericColumns { get; }

    public IReadOnlyList<string> CategoricalColumns { get; }

    public SchemaDefinition SchemaDefinition { get; }

    /// <summary>A row from values in <see cref="Features"/> order: a number, text or null (missing) each.</summary>
    public ModelInputRow CreateRow(IReadOnlyList<object?> values, bool label = false)
    {
        var numeric = new float[Math.Max(1, NumericColumns.Count)];
        var categorical = new string[Math.Max(1, CategoricalColumns.Count)];
        Array.Fill(numeric, float.NaN);
        Array.Fill(categorical, MissingCategory);
        int n = 0, c = 0;
        for (var i = 0; i < Features.Count; i++)
        {
            var feature = Features[i];
            if (feature.Kind == ColumnKind.Numeric)
            {
                numeric[n++] = ToNumber(feature.Name, values[i]);
            }
            else
            {
                categorical[c++] = Category(feature.Name, values[i]);
            }
        }
        return new ModelInputRow { Numeric = numeric, Categorical = categorical, Label = label };
    }

    public IDataView ToDataView(MLContext context, IEnumerable<ModelInputRow> rows) =>
        context.Data.LoadFromEnumerable(rows, SchemaDefinition);

    /// <summary>The category token: column name and value, so "no" in two columns are two categories.</summary>
    public static string Category(string column, object? value) =>
        value switch
        {
            null => $"{column}=",
            string text when string.IsNullOrWhiteSpace(text) => $"{column}=",
            _ => $"{column}={Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!.Trim()}",
        };

    private static float ToNumber(string column, object? value) =>
        value switch
        {
            null => float.NaN,
            float f => f,
            double d => (float)d,
            int i => i,
            long l => l,
            decimal m => (float)m,
            string text when string.IsNullOrWhiteSpace(text) => float.NaN,
            string text when NumericParsing.TryParse(text, out var parsed) => (float)parsed,
            _ => throw new TabularDataException($"input {column}: \"{value}\" is not a number"),
        };
}
