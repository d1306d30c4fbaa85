using System.Globalization;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Features.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Pipeline;
using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using ProtoEntityRow = CreditRisk.Contracts.Features.V1.EntityRow;
using ProtoSelection = CreditRisk.Contracts.Features.V1.FeatureSelection;
using ProtoHistoricalRow = CreditRisk.Contracts.Features.V1.HistoricalFeatureRow;
using StoreSelection = CreditRisk.FeatureStore.FeatureSelection;

namespace CreditRisk.Training.Steps;

/// <summary>
/// build_training_set: the labels known by the run's cut-off (outcomes recorded after it left out) joined point in time
/// with the run's feature service at each application's time. Customer (behavioural) features are asked with
/// exclude_backfilled, so nothing the platform learnt after the application is used. Request-time features (the
/// application entity's views) are a function of the application itself, known when it was decided, so their
/// vectors are taken whenever they were recorded (an imported history records them long after the fact).
/// The set is stored as one deterministic blob; its digest names it.
/// </summary>
public sealed class BuildTrainingSetStep(LabelStore labels, FeatureRetrievalService.FeatureRetrievalServiceClient features) : IPipelineStep
{
    /// <summary>Entity rows per request message.</summary>
    public const int RequestBatchSize = 1_000;

    public const string TrainingSetBlob = "training_set.json";

    public string Name => TrainingStepNames.BuildTrainingSet;

    public string CodeVersion => "1";

    public IReadOnlyList<string> Consumes => [];

    public bool Cacheable => true;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = context.Run;
        var service = $"{run.FeatureService}@{run.FeatureServiceVersion}";
        // The service's definition lives in the shared registry; the features service is asked anyway, since it is the authority on what it serves.
        if (!FeatureRegistry.TryGetService(run.FeatureService, run.FeatureServiceVersion, out var definition))
        {
            await RequestAsync(ByService(run), exclude: true, [], cancellationToken, service);
            throw new PipelineStepFailedException($"feature service {service} is unknown to this training service's registry");
        }
        var known = await labels.LabelsKnownByAsync(run.Cutoff, excludeRecordedAfterCutoff: true, cancellationToken);
        var positives = known.Rows.Count(row => row.Label == 1);
        var negatives = known.Rows.Count - positives;
        context.Log(string.Create(CultureInfo.InvariantCulture, $"{known.Rows.Count} labels known by {run.Cutoff:O}: {positives} defaulted, {negatives} repaid"));
        if (positives == 0 || negatives == 0)
        {
            throw new PipelineStepFailedException(string.Create(CultureInfo.InvariantCulture,
                $"no training set: {known.Rows.Count} labels known by the cut-off {run.Cutoff:O} ({positives} defaulted, {negatives} repaid); both classes are needed"));
        }
        var resolved = FeatureRegistry.Resolve(StoreSelection.Service(definition.Name, definition.Version));
        var rows = known.Rows.OrderBy(row => row.ApplicationTime).ThenBy(row => row.ApplicationId, StringComparer.Ordinal).ToList();

        var requestTime = resolved.Where(feature => feature.View.Entity == Entities.Application).ToList();
        var behaviour = resolved.Where(feature => feature.View.Entity != Entities.Application).ToList();
        var values = new Dictionary<string, (FeatureValue Value, DateTimeOffset? EventTime)[]>(StringComparer.Ordinal);
        foreach (var (group, exclude) in new[] { (requestTime, false), (behaviour, true) })
        {
            if (group.Count == 0)
            {
                continue;
            }
            var answered = await RequestAsync(ByReferences(group), exclude, rows, cancellationToken, service);
            foreach (var (name, column) in answered)
            {
                values[name] = column;
            }
        }

        var columns = resolved.Select(feature => new TrainingSetFeature(
            feature.Name, feature.Definition.ValueType.ToString().ToLowerInvariant(), TrainingSetFeature.KindOf(feature.Definition.ValueType.ToString().ToLowerInvariant()))).ToList();
        var setRows = rows.Select((row, r) => new TrainingSetRow(
            row.ApplicationId,
            row.CustomerId,
            row.ApplicationTime,
            row.Label,
            row.KnownAt,
            columns.Select(column => Plain(values[column.Name][r].Value)).ToList(),
            columns.Select(column => values[column.Name][r].EventTime).ToList())).ToList();
        var set = new TrainingSet(definition.Name, definition.Version, run.Cutoff, columns, setRows);
        var digest = await context.PutBlobAsync(set.ToBytes(), cancellationToken);
        context.Log($"training set {digest}: {setRows.Count} rows, {columns.Count} features of {service}");

        return new StepOutput(
            new Dictionary<string, string>
            {
                ["digest"] = digest,
                ["row_count"] = setRows.Count.ToString(CultureInfo.InvariantCulture),
                ["positives"] = positives.ToString(CultureInfo.InvariantCulture),
                ["negatives"] = negatives.ToString(CultureInfo.InvariantCulture),
                ["start_time"] = setRows[0].ApplicationTime.ToString("O", CultureInfo.InvariantCulture),
                ["end_time"] = setRows[^1].ApplicationTime.ToString("O", CultureInfo.InvariantCulture),
                ["feature_service"] = definition.Name,
                ["feature_service_version"] = definition.Version.ToString(CultureInfo.InvariantCulture),
            },
            new Dictionary<string, string> { [TrainingSetBlob] = digest });
    }

    private static ProtoSelection ByService(PipelineRunDefinition run) =>
        new() { FeatureService = new FeatureServiceRef { Name = run.FeatureService, Version = run.FeatureServiceVersion } };

    private static ProtoSelection ByReferences(IEnumerable<ResolvedFeature> group) =>
        new() { Features = new FeatureList { References = { group.Select(feature => feature.Reference.ToString()) } } };

    /// <summary>One streamed point-in-time join: rows sent in batches while answers are read; per feature name, one (value, event time) per row.</summary>
    private async Task<Dictionary<string, (FeatureValue, DateTimeOffset?)[]>> RequestAsync(
        ProtoSelection selection, bool exclude, IReadOnlyList<LabelRow> rows, CancellationToken cancellationToken, string service)
    {
        using var call = features.GetHistoricalFeatures(cancellationToken: cancellationToken);
        var sending = SendAsync(call.RequestStream, selection, exclude, rows, cancellationToken);
        var names = new List<string>();
        var answered = new List<ProtoHistoricalRow>(rows.Count);
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                names.AddRange(message.FeatureNames);
                answered.AddRange(message.Rows);
            }
            await sending;
        }
        catch (RpcException refused) when (refused.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
        {
            throw new PipelineStepFailedException($"the features service refused feature service {service}: {refused.Status.Detail}", refused);
        }
        if (answered.Count != rows.Count)
        {
            throw new InvalidOperationException($"the features service answered {answered.Count} rows for {rows.Count}");
        }
        var result = new Dictionary<string, (FeatureValue, DateTimeOffset?)[]>(StringComparer.Ordinal);
        for (var f = 0; f < names.Count; f++)
        {
            var column = new (FeatureValue, DateTimeOffset?)[rows.Count];
            foreach (var row in answered)
            {
                var value = row.Values[f];
                var time = f < row.EventTimes.Count && (row.EventTimes[f].Seconds != 0 || row.EventTimes[f].Nanos != 0)
                    ? row.EventTimes[f].ToDateTimeOffset()
                    : (DateTimeOffset?)null;
                column[row.RowNumber] = (value, time);
            }
            result[names[f]] = column;
        }
        return result;
    }

    private static async Task SendAsync(
        IClientStreamWriter<GetHistoricalFeaturesRequest> stream, ProtoSelection selection, bool exclude, IReadOnlyList<LabelRow> rows, CancellationToken cancellationToken)
    {
        var message = new GetHistoricalFeaturesRequest { Selection = selection, ExcludeBackfilled = exclude };
        foreach (var row in rows)
        {
            message.EntityRows.Add(new ProtoEntityRow
            {
                Keys = new EntityKeys
                {
                    Keys =
                    {
                        new EntityKey { Entity = Entities.Customer.Name, Id = row.CustomerId },
                        new EntityKey { Entity = Entities.Application.Name, Id = row.ApplicationId },
                    },
                },
                Timestamp = Timestamp.FromDateTimeOffset(row.ApplicationTime),
                RowId = row.ApplicationId,
            });
            if (message.EntityRows.Count == RequestBatchSize)
            {
                await stream.WriteAsync(message, cancellationToken);
                message = new GetHistoricalFeaturesRequest();
            }
        }
        if (message.EntityRows.Count > 0 || message.Selection is not null)
        {
            await stream.WriteAsync(message, cancellationToken);
        }
        await stream.CompleteAsync();
    }

    private static object? Plain(FeatureValue value) => value.KindCase switch
    {
        FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue,
        FeatureValue.KindOneofCase.Int64Value => value.Int64Value,
        FeatureValue.KindOneofCase.StringValue => value.StringValue,
        FeatureValue.KindOneofCase.BoolValue => value.BoolValue,
        _ => null,
    };
}
