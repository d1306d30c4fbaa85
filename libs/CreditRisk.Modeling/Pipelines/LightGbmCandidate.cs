using CreditRisk.Modeling.Search;
using Microsoft.ML;
using Microsoft.ML.Trainers.LightGbm;

namespace CreditRisk.Modeling.Pipelines;

/// <summary>LightGBM gradient boosting; the space favours small trees and slow learning, which suits a few thousand rows.</summary>
public sealed class LightGbmCandidate : ModelCandidate
{
    public override string Name => "lightgbm";

    public override int DefaultTrials => 10;

    public override SearchSpace Space { get; } = new(
        [
            new HyperparameterRange("learning_rate", 0.01, 0.1, LogScale: true),
            new HyperparameterRange("iterations", 100, 500, Integer: true),
            new HyperparameterRange("leaves", 4, 32, Integer: true),
            new HyperparameterRange("min_leaf", 10, 80, Integer: true),
            new HyperparameterRange("feature_fraction", 0.5, 1.0),
            new HyperparameterRange("l2", 0.01, 10, LogScale: true),
        ],
        new Dictionary<string, double>
        {
            ["learning_rate"] = 0.03, ["iterations"] = 300, ["leaves"] = 8, ["min_leaf"] = 30,
            ["feature_fraction"] = 0.7, ["l2"] = 1,
        });

    protected override IEstimator<ITransformer> CreateTrainer(MLContext context, Hyperparameters parameters, int seed) =>
        context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            LabelColumnName = FeaturePipeline.LabelColumn,
            FeatureColumnName = FeaturePipeline.FeaturesColumn,
            LearningRate = parameters["learning_rate"],
            NumberOfIterations = parameters.Integer("iterations"),
            NumberOfLeaves = parameters.Integer("leaves"),
            MinimumExampleCountPerLeaf = parameters.Integer("min_leaf"),
            Booster = new GradientBooster.Options
            {
                FeatureFraction = parameters["feature_fraction"],
                L2Regularization = parameters["l2"],
            },
            Seed = seed,
            Deterministic = true,
            Silent = true,
            Verbose = false,
        });
}
