using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Search;
using Microsoft.ML;

namespace CreditRisk.Modeling.Pipelines;

/// <summary>A trainer family with its search space: the estimator it builds is featurisation + trainer.</summary>
public abstract class ModelCandidate
{
    public abstract string Name { get; }

    public abstract SearchSpace Space { get; }

    /// <summary>How many trials the search runs when not told otherwise.</summary>
    public abstract int DefaultTrials { get; }

    public IEstimator<ITransformer> CreatePipeline(MLContext context, ModelInputSchema schema, Hyperparameters parameters, int seed) =>
        FeaturePipeline.Create(context, schema).Append(CreateTrainer(context, parameters, seed));

    protected abstract IEstimator<ITransformer> CreateTrainer(MLContext context, Hyperparameters parameters, int seed);

    /// <summary>LightGBM, FastTree and the logistic-regression baseline.</summary>
    public static IReadOnlyList<ModelCandidate> All { get; } =
        [new LightGbmCandidate(), new FastTreeCandidate(), new LogisticRegressionCandidate()];
}
