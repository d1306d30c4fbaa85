using System.Threading.Channels;
using CreditRisk.Contracts.Features.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.FeatureStore;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;
using StoreEntityRow = CreditRisk.FeatureStore.EntityRow;

namespace CreditRisk.Features.Grpc;

/// <summary>
/// The retrieval API, thin over the feature store (whose <see cref="FeatureContractMapping"/> translates the
/// messages): online reads from Redis, point-in-time training sets from PostgreSQL streamed both ways,
/// materialisation of the offline store's latest rows into Redis, and the registry's definitions.
/// </summary>
public sealed class FeatureRetrievalGrpcService(IOnlineStore onlineStore, IOfflineStore offlineStore, Materializer materializer)
    : FeatureRetrievalService.FeatureRetrievalServiceBase
{
    /// <summary>Historical rows per response message.</summary>
    public const int HistoricalBatchSize = 1_000;

    /// <summary>Entity rows buffered between the request stream and the point-in-time join.</summary>
    private const int HistoricalRowBuffer = 10_000;

    [RequiresRole(ApiRole.Reader)]
    public override async Task<GetOnlineFeaturesResponse> GetOnlineFeatures(GetOnlineFeaturesRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        if (request.Rows.Count == 0)
        {
            violations.Add("rows", "at least one required");
        }
        var rows = new StoreEntityRow[request.Rows.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = FeatureContractMapping.ToEntityRow(request.Rows[i], violations, $"rows[{i}]");
        }
        var features = FeatureContractMapping.Resolve(request.Selection, violations);
        violations.ThrowIfAny();

        var vectors = await onlineStore.ReadAsync(rows, features!, context.CancellationToken);
        var response = new GetOnlineFeaturesResponse();
        foreach (var feature in features!)
        {
            response.FeatureNames.Add(feature.Name);
        }
        foreach (var vector in vectors)
        {
            response.Rows.Add(FeatureContractMapping.ToProto(vector));
        }
        return response;
    }

    [RequiresRole(ApiRole.Reader)]
    public override async Task GetHistoricalFeatures(
        IAsyncStreamReader<GetHistoricalFeaturesRequest> requestStream,
        IServerStreamWriter<GetHistoricalFeaturesResponse> responseStream,
        ServerCallContext context)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var cancellationToken = call.Token;
        if (!await requestStream.MoveNext(cancellationToken))
        {
            throw FieldViolations.Single("selection", "required in the first message");
        }
        var first = requestStream.Current;
        var selectionViolations = new FieldViolations();
        var features = FeatureContractMapping.Resolve(first.Selection, selectionViolations);
        selectionViolations.ThrowIfAny();

        // Entity rows flow from the request stream into the join while results flow out: neither side is held
        // in memory whole. A bad row fails the call with INVALID_ARGUMENT naming it.
        var entityRows = Channel.CreateBounded<HistoricalEntityRow>(
            new BoundedChannelOptions(HistoricalRowBuffer) { SingleReader = true, SingleWriter = true });
        var reading = ReadEntityRowsAsync(first, requestStream, entityRows.Writer, cancellationToken);

        var batch = new GetHistoricalFeaturesResponse();
        batch.FeatureNames.Add(features!.Select(feature => feature.Name));
        var headerSent = false;
        var options = new HistoricalRetrievalOptions { ExcludeBackfilled = first.ExcludeBackfilled };
        try
        {
            await foreach (var row in offlineStore.GetHistoricalFeaturesAsync(
                entityRows.Reader.ReadAllAsync(cancellationToken), features!, options, cancellationToken))
            {
                batch.Rows.Add(FeatureContractMapping.ToProto(row));
                if (batch.Rows.Count == HistoricalBatchSize)
                {
                    await responseStream.WriteAsync(batch, cancellationToken);
                    headerSent = true;
                    batch = new GetHistoricalFeaturesResponse();
                }
            }
        }
        catch
        {
            await call.CancelAsync();   // the reader may be waiting for room in the channel
            throw;
        }
        finally
        {
            // Surfaces a validation failure of the reader (it also completes the channel with it); a reader
            // cancelled because the join failed must not hide that failure.
            try
            {
                await reading;
            }
            catch (OperationCanceledException) when (call.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
            }
        }
        if (batch.Rows.Count > 0 || !headerSent)
        {
            await responseStream.WriteAsync(batch, cancellationToken);
        }
    }

    private static async Task ReadEntityRowsAsync(
        GetHistoricalFeaturesRequest first,
        IAsyncStreamReader<GetHistoricalFeaturesRequest> requestStream,
        ChannelWriter<HistoricalEntityRow> writer,
        CancellationToken cancellationToken)
    {
        try
        {
            var message = first;
            for (var messageNumber = 0; ; messageNumber++)
            {
                var violations = new FieldViolations();
                var rows = new HistoricalEntityRow[message.EntityRows.Count];
                for (var i = 0; i < rows.Length; i++)
                {
                    var field = messageNumber == 0 ? $"entity_rows[{i}]" : $"messages[{messageNumber}].entity_rows[{i}]";
                    rows[i] = FeatureContractMapping.ToHistoricalEntityRow(message.EntityRows[i], violations, field);
                }
                violations.ThrowIfAny();
                foreach (var row in rows)
                {
                    await writer.WriteAsync(row, cancellationToken);
                }
                if (!await requestStream.MoveNext(cancellationToken))
                {
                    break;
                }
                message = requestStream.Current;
            }
            writer.Complete();
        }
        catch (Exception exception)
        {
            writer.Complete(exception);
            throw;
        }
    }

    [RequiresRole(ApiRole.Admin)]
    public override async Task<MaterializeResponse> Materialize(MaterializeRequest request, ServerCallContext context)
    {
        var violations = new FieldViolations();
        var views = new List<FeatureView>();
        for (var i = 0; i < request.FeatureViews.Count; i++)
        {
            var name = request.FeatureViews[i];
            if (TryParseView(name, out var view))
            {
                views.Add(view);
            }
            else
            {
                violations.Add($"feature_views[{i}]", $"unknown feature view '{name}'");
            }
        }
        var start = request.StartTime?.ToDateTimeOffset();
        var end = request.EndTime?.ToDateTimeOffset();
        if (start > end)
        {
            violations.Add("end_time", "must not be before start_time");
        }
        violations.ThrowIfAny();

        var result = await materializer.MaterializeAsync(views.Count == 0 ? null : views.Distinct(), start, end, context.CancellationToken);
        return new MaterializeResponse { RowsRead = result.RowsRead, EntitiesWritten = result.RowsApplied };
    }

    [RequiresRole(ApiRole.Reader)]
    public override Task<ListFeatureDefinitionsResponse> ListFeatureDefinitions(ListFeatureDefinitionsRequest request, ServerCallContext context) =>
        Task.FromResult(FeatureContractMapping.DescribeRegistry());

    /// <summary>"view" (latest version) or "view@2".</summary>
    private static bool TryParseView(string name, out FeatureView view)
    {
        view = null!;
        FeatureReference reference;
        try
        {
            reference = FeatureReference.Parse(name + ":_");   // one grammar for view names
        }
        catch (FormatException)
        {
            return false;
        }
        return FeatureRegistry.TryGetView(reference.View, reference.ViewVersion, out view);
    }
}
