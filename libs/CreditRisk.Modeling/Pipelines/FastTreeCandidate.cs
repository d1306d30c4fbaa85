using CreditRisk.Modeling.Search;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace CreditRisk.Modeling.Pipelines;

/// <summary>ML.NET's FastTree gradient boosting (MART), searched over the same kind of space as LightGBM.</summary>
public sealed class FastTreeCandidate : ModelCandidate
{
    public override string Name => "fasttree";

    public override int DefaultTrials => 6;

    public override SearchSpace Space { get; } = new(
        [
            new HyperparameterRange("learning_rate", 0.02, 0.2, LogScale: true),
            new HyperparameterRange("trees", 100, 400, Integer: true),
            new HyperparameterRange("leaves", 4, 32, Integer: true),
            new HyperparameterRange("min_leaf", 10, 80, Integer: true),
            new HyperparameterRange("feature_fraction", 0.5, 1.0),
        ],
        new Dictionary<string, double>
        {
            ["learning_rate"] = 0.05, ["trees"] = 200, ["leaves"] = 8, ["min_leaf"] = 30, ["feature_fraction"] = 0.7,
        });

    protected override IEstimator<ITransformer> CreateTrainer(MLContext context, Hyperparameters parameters, int seed) =>
        context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = FeaturePipeline.LabelColumn,
            FeatureColumnName = FeaturePipeline.FeaturesColumn,
            LearningRate = parameters["learning_rate"],
            NumberOfTrees = parameters.Integer("trees"),
            NumberOfLeaves = parameters.Integer("leaves"),
            MinimumExampleCountPerLeaf = parameters.Integer("min_leaf"),
            FeatureFraction = parameters["feature_fraction"],
            Seed = seed,
            FeatureSelectionSeed = seed,
        });
}
