using CreditRisk.Modeling.Search;
using Microsoft.ML;
using Microsoft.ML.Trainers;

namespace CreditRisk.Modeling.Pipelines;

/// <summary>The baseline: L-BFGS logistic regression on standardised features, searched over its regularisation.</summary>
public sealed class LogisticRegressionCandidate : ModelCandidate
{
    public override string Name => "logistic-regression";

    public override int DefaultTrials => 4;

    public override SearchSpace Space { get; } = new(
        [
            new HyperparameterRange("l1", 0.0001, 1, LogScale: true),
            new HyperparameterRange("l2", 0.001, 10, LogScale: true),
        ],
        new Dictionary<string, double> { ["l1"] = 0.001, ["l2"] = 0.1 });

    protected override IEstimator<ITransformer> CreateTrainer(MLContext context, Hyperparameters parameters, int seed) =>
        context.Transforms.NormalizeMeanVariance(FeaturePipeline.FeaturesColumn)
            .Append(context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = FeaturePipeline.LabelColumn,
                FeatureColumnName = FeaturePipeline.FeaturesColumn,
                L1Regularization = parameters.Single("l1"),
                L2Regularization = parameters.Single("l2"),
                // One thread: L-BFGS is quick here, and one thread gives the same weights on every run.
                NumberOfThreads = 1,
            }));
}
