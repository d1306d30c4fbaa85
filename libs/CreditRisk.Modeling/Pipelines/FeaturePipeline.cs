using CreditRisk.Modeling.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace CreditRisk.Modeling.Pipelines;

/// <summary>
/// The featurisation every candidate shares, fitted with the trainer so it is saved inside the model:
/// numeric inputs get a missing indicator and the training mean in place of NaN; categorical tokens are
/// one-hot encoded over the training vocabulary (an unseen category adds nothing).
/// </summary>
public static class FeaturePipeline
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = nameof(ModelInputRow.Label);

    public static IEstimator<ITransformer> Create(MLContext context, ModelInputSchema schema)
    {
        var parts = new List<string>();
        IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
        if (schema.NumericColumns.Count > 0)
        {
            pipeline = pipeline
                .Append(context.Transforms.IndicateMissingValues("NumericMissing", nameof(ModelInputRow.Numeric)))
                .Append(context.Transforms.Conversion.ConvertType("NumericMissingIndicator", "NumericMissing", DataKind.Single))
                .Append(context.Transforms.ReplaceMissingValues(
                    "NumericImputed", nameof(ModelInputRow.Numeric), MissingValueReplacingEstimator.ReplacementMode.Mean));
            parts.Add("NumericImputed");
            parts.Add("NumericMissingIndicator");
        }
        if (schema.CategoricalColumns.Count > 0)
        {
            // Bag over "column=value" tokens is the concatenation of one one-hot vector per column.
            pipeline = pipeline.Append(context.Transforms.Categorical.OneHotEncoding(
                "CategoricalOneHot", nameof(ModelInputRow.Categorical), OneHotEncodingEstimator.OutputKind.Bag));
            parts.Add("CategoricalOneHot");
        }
        return pipeline.Append(context.Transforms.Concatenate(FeaturesColumn, [.. parts]));
    }
}
