using System.Reflection;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// Reason codes for a <see cref="CreditRiskModel"/>: ML.NET's feature contribution calculation (the weights times the
/// scaled values for logistic regression, the path contributions for FastTree and LightGBM) appended to the model, so
/// one pass gives the probability and every feature slot's contribution; the slots are summed per signature input and
/// converted to log-odds through the model's Platt calibrator. Build one per loaded model (the slot mapping and the
/// pipeline are prepared here); <see cref="Explain(IReadOnlyList{object?}, int)"/> is thread-safe, with one prediction
/// engine per thread.
/// </summary>
public sealed class ModelExplainer : IDisposable
{
    // ML.NET's contribution calculator reports at most this many positive and negative slots.
    private const int MaxReportedSlots = 1000;

    private readonly CreditRiskModel _model;
    private readonly ITransformer _explaining;
    private readonly int[] _slotInputs;
    private readonly string[] _readableNames;
    private readonly double _logOddsPerScore;
    private readonly double _logOddsOffset;
    private readonly ThreadLocal<EngineState> _engines;

    private ModelExplainer(
        CreditRiskModel model, ITransformer explaining, int[] slotInputs, string[] readableNames, double logOddsPerScore, double logOddsOffset)
    {
        _model = model;
        _explaining = explaining;
        _slotInputs = slotInputs;
        _readableNames = readableNames;
        _logOddsPerScore = logOddsPerScore;
        _logOddsOffset = logOddsOffset;
        _engines = new ThreadLocal<EngineState>(() => new EngineState(
            _model.Context.Model.CreatePredictionEngine<ModelInputRow, ExplainedRow>(
                _explaining, inputSchemaDefinition: _model.InputSchema.SchemaDefinition),
            _model.Signature.Inputs.Count), trackAllValues: true);
    }

    public CreditRiskModel Model => _model;

    /// <summary>
    /// An explainer for <paramref name="model"/>. <paramref name="readableNames"/> maps an input name ("view:feature") to
    /// its readable name (e.g. the feature definition's description); an input without one is named from its own name.
    /// </summary>
    public static ModelExplainer Create(CreditRiskModel model, IReadOnlyDictionary<string, string>? readableNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var context = model.Context;
        var empty = model.InputSchema.ToDataView(context, []);
        var transformed = model.Transformer.Transform(empty);
        var layout = ContributionLayout.For(model.InputSchema, transformed.Schema);

        var predictor = LastPredictor(model.Transformer)
            ?? throw new InvalidOperationException("the model has no prediction transformer to explain");
        var slots = Math.Min(MaxReportedSlots, layout.SlotInputs.Length);
        var calculator = CreateCalculator(context, predictor, slots).Fit(transformed);
        var explaining = new TransformerChain<ITransformer>(model.Transformer, calculator);

        var (slope, offset) = predictor.Model is { } parameters && Calibrator(parameters) is PlattCalibrator platt
            ? (platt.Slope, platt.Offset)
            : (-1.0, 0.0);
        var names = model.Signature.Inputs
            .Select(input => readableNames?.GetValueOrDefault(input.Name) is { Length: > 0 } readable ? readable : ReadableNames.FromInputName(input.Name))
            .ToArray();
        // Platt: p = 1 / (1 + exp(slope * score + offset)), so the log-odds are -(slope * score + offset).
        return new ModelExplainer(model, explaining, layout.SlotInputs, names, -slope, -offset);
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
        state.Engine.Predict(row, ref state.Output);

        var sums = state.Sums;
        Array.Clear(sums);
        var contributions = state.Output.FeatureContributions;
        for (var slot = 0; slot < contributions.Length; slot++)
        {
            sums[_slotInputs[slot]] += contributions[slot];
        }
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
        return new ModelExplanation(state.Output.Probability, _logOddsPerScore * state.Output.Score + _logOddsOffset, reasons);
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
        CalibratedType(parameters.GetType())
            ?.GetProperty(nameof(CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>.Calibrator), BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
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

    private sealed class EngineState(PredictionEngine<ModelInputRow, ExplainedRow> engine, int inputs)
    {
        public PredictionEngine<ModelInputRow, ExplainedRow> Engine { get; } = engine;

        public ExplainedRow Output = new();

        public double[] Sums { get; } = new double[inputs];
    }
}
