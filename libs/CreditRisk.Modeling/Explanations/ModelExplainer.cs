using System.Reflection;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// Reason codes for a <see cref="CreditRiskModel"/>: ML.NET's feature contributions (the weights times the scaled values
/// for logistic regression, the path contributions for FastTree and LightGBM), found in the same pass that gives the
/// probability; the slots are summed per signature input and converted to log-odds through the model's Platt
/// calibrator. Tree ensembles are walked here from the feature vector the model scored (<see cref="TreePaths"/>); other
/// models get ML.NET's calculator appended. Build one per loaded model (the slot mapping and the pipeline are prepared
/// here); <see cref="Explain(IReadOnlyList{object?}, int)"/> is thread-safe, with one prediction engine per thread.
/// </summary>
public sealed class ModelExplainer : IDisposable
{
    // ML.NET's contribution calculator reports at most this many positive and negative slots.
    private const int MaxReportedSlots = 1000;

    private readonly CreditRiskModel _model;
    private readonly int[] _slotInputs;
    private readonly string[] _readableNames;
    private readonly double _logOddsPerScore;
    private readonly double _logOddsOffset;
    private readonly ThreadLocal<EngineState> _engines;

    private ModelExplainer(
        CreditRiskModel model, Func<IContributionEngine> createEngine, bool walksTrees, int[] slotInputs, string[] readableNames, double logOddsPerScore, double logOddsOffset)
    {
        _model = model;
        _slotInputs = slotInputs;
        _readableNames = readableNames;
        _logOddsPerScore = logOddsPerScore;
        _logOddsOffset = logOddsOffset;
        WalksTrees = walksTrees;
        _engines = new ThreadLocal<EngineState>(() => new EngineState(createEngine(), _model.Signature.Inputs.Count), trackAllValues: true);
    }

    public CreditRiskModel Model => _model;

    /// <summary>Whether the contributions are walked over the model's trees here rather than by ML.NET's calculator.</summary>
    internal bool WalksTrees { get; }

    /// <summary>
    /// An explainer for <paramref name="model"/>. <paramref name="readableNames"/> maps an input name ("view:feature") to
    /// its readable name (e.g. the feature definition's description); an input without one is named from its own name.
    /// </summary>
    public static ModelExplainer Create(CreditRiskModel model, IReadOnlyDictionary<string, string>? readableNames = null) =>
        Create(model, readableNames, walkTrees: true);

    /// <summary>As the public overload; without <paramref name="walkTrees"/> every model gets ML.NET's calculator.</summary>
    internal static ModelExplainer Create(CreditRiskModel model, IReadOnlyDictionary<string, string>? readableNames, bool walkTrees)
    {
        ArgumentNullException.ThrowIfNull(model);
        var context = model.Context;
        var empty = model.InputSchema.ToDataView(context, []);
        var transformed = model.Transformer.Transform(empty);
        var layout = ContributionLayout.For(model.InputSchema, transformed.Schema);

        var predictor = LastPredictor(model.Transformer)
            ?? throw new InvalidOperationException("the model has no prediction transformer to explain");
        var trees = walkTrees ? TreePaths.For(Uncalibrated(predictor.Model)) : null;
        Func<IContributionEngine> createEngine = trees is not null
            ? () => new TreePathContributions(model.Context.Model.CreatePredictionEngine<ModelInputRow, ScoredFeaturesRow>(
                model.Transformer, inputSchemaDefinition: model.InputSchema.SchemaDefinition), trees)
            : CalculatorEngines(model, predictor, transformed, Math.Min(MaxReportedSlots, layout.SlotInputs.Length));

        var (slope, offset) = Calibrator(predictor.Model) is PlattCalibrator platt
            ? (platt.Slope, platt.Offset)
            : (-1.0, 0.0);
        var names = model.Signature.Inputs
            .Select(input => readableNames?.GetValueOrDefault(input.Name) is { Length: > 0 } readable ? readable : ReadableNames.FromInputName(input.Name))
            .ToArray();
        // Platt: p = 1 / (1 + exp(slope * score + offset)), so the log-odds are -(slope * score + offset).
        return new ModelExplainer(model, createEngine, trees is not null, layout.SlotInputs, names, -slope, -offset);
    }

    /// <summary>
    /// The probability and the top <paramref name="top"/> non-zero input contributions for one row of values in signature
    /// order (a number, text or null each, as <see cref="CreditRiskModel.ScoreMany"/> takes them).
    /// </summary>
    public ModelExplanation Explain(IReadOnlyList<object?> values, int top = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        if (values.Count != _readableNames.Length)
        {
            throw new ArgumentException($"{values.Count} values for a model with {_readableNames.Length} inputs", nameof(values));
        }
        var row = _model.InputSchema.CreateRow(values);
        var state = _engines.Value!;
        var sums = state.Sums;
        Array.Clear(sums);
        var (probability, score) = state.Engine.Run(row, _slotInputs, sums);

        var reasons = new List<InputContribution>(sums.Length);
        for (var input = 0; input < sums.Length; input++)
        {
            if (sums[input] != 0)
            {
                reasons.Add(new InputContribution(
                    input, _model.Signature.Inputs[input].Name, _readableNames[input], sums[input] * _logOddsPerScore));
            }
        }
        reasons.Sort(static (a, b) =>
            Math.Abs(b.Contribution).CompareTo(Math.Abs(a.Contribution)) is var order and not 0 ? order : a.InputIndex.CompareTo(b.InputIndex));
        if (reasons.Count > top)
        {
            reasons.RemoveRange(top, reasons.Count - top);
        }
        return new ModelExplanation(probability, _logOddsPerScore * score + _logOddsOffset, reasons);
    }

    /// <summary>The same for named inputs, as <see cref="CreditRiskModel.Score"/> takes them: absent or null is missing.</summary>
    public ModelExplanation Explain(IReadOnlyDictionary<string, object?> inputs, int top = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Explain(_model.Signature.Inputs.Select(input => inputs.GetValueOrDefault(input.Name)).ToList(), top);
    }

    public void Dispose()
    {
        foreach (var state in _engines.Values)
        {
            state.Engine.Dispose();
        }
        _engines.Dispose();
    }

    private static ISingleFeaturePredictionTransformer<object>? LastPredictor(ITransformer transformer) =>
        transformer switch
        {
            ISingleFeaturePredictionTransformer<object> predictor => predictor,
            IEnumerable<ITransformer> chain => chain.Reverse().Select(LastPredictor).FirstOrDefault(found => found is not null),
            _ => null,
        };

    private static object? Calibrator(object parameters) =>
        CalibratedProperty(parameters, nameof(CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>.Calibrator));

    /// <summary>The model under its calibrator, or the model itself when it is not calibrated.</summary>
    private static object Uncalibrated(object parameters) =>
        CalibratedProperty(parameters, nameof(CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>.SubModel)) ?? parameters;

    private static object? CalibratedProperty(object parameters, string name) =>
        CalibratedType(parameters.GetType())
            ?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            ?.GetValue(parameters);

    /// <summary>The CalibratedModelParametersBase&lt;TSubModel, TCalibrator&gt; a model's parameters derive from, if any.</summary>
    private static Type? CalibratedType(Type? type)
    {
        while (type is not null && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(CalibratedModelParametersBase<,>)))
        {
            type = type.BaseType;
        }
        return type;
    }

    private static Func<IContributionEngine> CalculatorEngines(
        CreditRiskModel model, ISingleFeaturePredictionTransformer<object> predictor, IDataView transformed, int slots)
    {
        var calculator = CreateCalculator(model.Context, predictor, slots).Fit(transformed);
        var explaining = new TransformerChain<ITransformer>(model.Transformer, calculator);
        return () => new CalculatorContributions(model.Context.Model.CreatePredictionEngine<ModelInputRow, ExplainedRow>(
            explaining, inputSchemaDefinition: model.InputSchema.SchemaDefinition));
    }

    /// <summary>ML.NET's calculator for a calibrated model is generic in the sub-model and calibrator types, known only at run time.</summary>
    private static IEstimator<ITransformer> CreateCalculator(MLContext context, ISingleFeaturePredictionTransformer<object> predictor, int slots)
    {
        if (predictor is ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> plain)
        {
            return context.Transforms.CalculateFeatureContribution(plain, slots, slots, normalize: false);
        }
        var calibrated = CalibratedType(predictor.Model.GetType());
        if (calibrated is null || !typeof(ICalculateFeatureContribution).IsAssignableFrom(calibrated.GetGenericArguments()[0]))
        {
            throw new NotSupportedException($"the model's trainer ({predictor.Model.GetType().Name}) does not support feature contributions");
        }
        var method = typeof(ExplainabilityCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(ExplainabilityCatalog.CalculateFeatureContribution) && m.IsGenericMethodDefinition)
            .MakeGenericMethod(calibrated.GetGenericArguments());
        return (IEstimator<ITransformer>)method.Invoke(null, [context.Transforms, predictor, slots, slots, false])!;
    }

    private sealed class EngineState(IContributionEngine engine, int inputs)
    {
        public IContributionEngine Engine { get; } = engine;

        public double[] Sums { get; } = new double[inputs];
    }
}
