using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Features.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Features.Tests.Support;
using CreditRisk.FeatureStore;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EntityRow = CreditRisk.Contracts.Features.V1.EntityRow;
using FeatureSelection = CreditRisk.Contracts.Features.V1.FeatureSelection;
using HistoricalFeatureRow = CreditRisk.Contracts.Features.V1.HistoricalFeatureRow;

namespace CreditRisk.Features.Tests;

/// <summary>The retrieval gRPC API over what the processor wrote, end to end.</summary>
public sealed class RetrievalTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static FeatureSelection Features(params string[] references) => new() { Features = new FeatureList { References = { references } } };

    private static FeatureSelection CreditDefault() => new() { FeatureService = new FeatureServiceRef { Name = "credit_default" } };

    private static EntityKeys Keys(params (string Entity, string Id)[] keys) =>
        new() { Keys = { keys.Select(key => new EntityKey { Entity = key.Entity, Id = key.Id }) } };

    [Fact]
    public async Task Online_reads_report_present_outside_ttl_and_not_found_with_event_times()
    {
        var topics = await TestTopics.CreateAsync(broker, "online");
        var run = Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var fresh = RawEvents.Transaction($"fresh-{run}", now.AddHours(-1), 25);
        // customer_transactions has a 30-day TTL.
        var stale = RawEvents.Transaction($"stale-{run}", now.AddDays(-40), 25);
        await using var host = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, "online-" + run, TimeSpan.FromDays(1)));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync([fresh, stale]);
        }
        var online = host.Get<IOnlineStore>();
        await Eventually.ThatAsync(async () =>
            await online.GetRowAsync(Stores.Key("customer", fresh.CustomerId), FeatureRegistry.CustomerTransactionsV1, TestContext.Current.CancellationToken) is not null
            && await online.GetRowAsync(Stores.Key("customer", stale.CustomerId), FeatureRegistry.CustomerTransactionsV1, TestContext.Current.CancellationToken) is not null,
            Deadline, "both customers' vectors online");

        var response = await host.Client.GetOnlineFeaturesAsync(new GetOnlineFeaturesRequest
        {
            Rows = { Keys(("customer", fresh.CustomerId)), Keys(("customer", stale.CustomerId)), Keys(("customer", $"unknown-{run}")) },
            Selection = Features("customer_transactions:txn_count_30d", "customer_transactions:txn_sum_90d"),
        }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["customer_transactions:txn_count_30d", "customer_transactions:txn_sum_90d"], response.FeatureNames);
        Assert.Equal(3, response.Rows.Count);
        var (present, outsideTtl, notFound) = (response.Rows[0], response.Rows[1], response.Rows[2]);
        Assert.All(present.Features, feature => Assert.Equal(FeatureStatus.Present, feature.Status));
        Assert.Equal(1, present.Features[0].Feature.Value.Int64Value);
        Assert.Equal(25, present.Features[1].Feature.Value.DoubleValue);
        Assert.Equal(FeatureTime.Truncate(fresh.Envelope.EventTime.ToDateTimeOffset()), present.Features[0].Feature.EventTime.ToDateTimeOffset());
        Assert.All(outsideTtl.Features, feature => Assert.Equal(FeatureStatus.OutsideTtl, feature.Status));
        Assert.Equal(FeatureTime.Truncate(stale.Envelope.EventTime.ToDateTimeOffset()), outsideTtl.Features[0].Feature.EventTime.ToDateTimeOffset());
        Assert.All(notFound.Features, feature => Assert.Equal(FeatureStatus.NotFound, feature.Status));
        Assert.Equal($"unknown-{run}", notFound.Keys[0].Id);
    }

    [Fact]
    public async Task Bad_requests_fail_with_invalid_argument_naming_each_bad_field()
    {
        var topics = await TestTopics.CreateAsync(broker, "invalid");
        await using var host = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, "invalid-" + Guid.NewGuid().ToString("N"), processor: false));
        var token = TestContext.Current.CancellationToken;

        var unknownService = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetOnlineFeaturesAsync(new GetOnlineFeaturesRequest
        {
            Rows = { Keys(("customer", "C-1")) },
            Selection = new FeatureSelection { FeatureService = new FeatureServiceRef { Name = "no_such_service" } },
        }, cancellationToken: token).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknownService.StatusCode);
        Assert.Contains("no_such_service", unknownService.Status.Detail, StringComparison.Ordinal);

        var several = await Assert.ThrowsAsync<RpcException>(() => host.Client.GetOnlineFeaturesAsync(new GetOnlineFeaturesRequest
        {
            Rows = { Keys(("customer", "C-1")), Keys(("customer", "")) },
            Selection = Features("customer_transactions:txn_count_30d", "customer_transactions:no_such_feature", "no_such_view:x"),
        }, cancellationToken: token).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, several.StatusCode);
        Assert.Contains("rows[1].keys[0].id: required", several.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("customer_transactions:no_such_feature", several.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("no_such_view:x", several.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("txn_count_30d", several.Status.Detail, StringComparison.Ordinal);
        // The same fields, for programs, as a google.rpc.BadRequest.
        Assert.Equal("rows[1].keys[0].id", FieldViolations.Of(several)[0].Field);
        Assert.Equal("required", FieldViolations.Of(several)[0].Description);
        Assert.All(FieldViolations.Of(several).Skip(1), violation => Assert.Equal("selection", violation.Field));

        using var historical = host.Client.GetHistoricalFeatures(cancellationToken: token);
        await historical.RequestStream.WriteAsync(new GetHistoricalFeaturesRequest
        {
            Selection = CreditDefault(),
            EntityRows = { new EntityRow { Keys = Keys(("customer", "")), Timestamp = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) } },
        }, token);
        await historical.RequestStream.CompleteAsync();
        var badRow = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in historical.ResponseStream.ReadAllAsync(token))
            {
            }
        });
        Assert.Equal(StatusCode.InvalidArgument, badRow.StatusCode);
        Assert.Contains("entity_rows[0]", badRow.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("entity_rows[0].keys[0].id", Assert.Single(FieldViolations.Of(badRow)).Field);

        var materialize = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.MaterializeAsync(new MaterializeRequest { FeatureViews = { "customer_transactions", "no_such_view" } }, cancellationToken: token).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, materialize.StatusCode);
        Assert.Contains("feature_views[1]", materialize.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("feature_views[1]", Assert.Single(FieldViolations.Of(materialize)).Field);
    }

    [Fact]
    public async Task One_definition_gives_identical_values_through_the_online_and_the_historical_path()
    {
        var topics = await TestTopics.CreateAsync(broker, "skew");
        var prefix = "skew-" + Guid.NewGuid().ToString("N")[..8];
        // Recent events (within every view's TTL), so that "now" is a valid point in time for both paths.
        var events = RawEvents.Mix(prefix, customers: 6, eventsPerCustomer: 25, DateTimeOffset.UtcNow.AddMinutes(-5), TimeSpan.FromDays(20), seed: 5);
        var group = "skew-" + Guid.NewGuid().ToString("N");
        await using var host = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, group, TimeSpan.FromDays(365)));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync(events);
        }
        await Eventually.ThatAsync(() => topics.IsDrained(broker, group), Deadline, "every event processed");

        // Rows with both keys: the credit_default service mixes application and customer views.
        var rows = events.OfType<LoanApplicationSubmitted>()
            .Select(application => Keys(("customer", application.CustomerId), ("application", application.ApplicationId)))
            .Concat(events.Select(Recomputation.CustomerOf).Distinct().Select(customer => Keys(("customer", customer))))
            .ToList();
        Assert.True(rows.Count > 6, "the mix should hold applications");
        var token = TestContext.Current.CancellationToken;
        var onlineResponse = await host.Client.GetOnlineFeaturesAsync(new GetOnlineFeaturesRequest { Rows = { rows }, Selection = CreditDefault() }, cancellationToken: token);

        using var call = host.Client.GetHistoricalFeatures(cancellationToken: token);
        var asOf = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        await call.RequestStream.WriteAsync(new GetHistoricalFeaturesRequest
        {
            Selection = CreditDefault(),
            EntityRows = { rows.Select((keys, i) => new EntityRow { Keys = keys, Timestamp = asOf, RowId = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }) },
        }, token);
        await call.RequestStream.CompleteAsync();
        var historicalRows = new List<HistoricalFeatureRow>();
        var names = new List<string>();
        await foreach (var message in call.ResponseStream.ReadAllAsync(token))
        {
            names.AddRange(message.FeatureNames);
            historicalRows.AddRange(message.Rows);
        }

        Assert.Equal(onlineResponse.FeatureNames, names);
        Assert.Equal(rows.Count, historicalRows.Count);
        var present = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i, historicalRows[i].RowNumber);
            for (var f = 0; f < names.Count; f++)
            {
                var served = onlineResponse.Rows[i].Features[f];
                if (served.Status == FeatureStatus.Present)
                {
                    present++;
                    Assert.Equal($"row {i} {names[f]} = {served.Feature.Value.Format()}", $"row {i} {names[f]} = {historicalRows[i].Values[f].Format()}");
                }
                else
                {
                    Assert.Equal(FeatureStatus.NotFound, served.Status);
                    Assert.True(historicalRows[i].Values[f].IsNull(), $"row {i} {names[f]}: online NOT_FOUND but historical {historicalRows[i].Values[f].Format()}");
                }
            }
        }
        Assert.True(present > rows.Count * 10, $"only {present} present values compared");
    }

    [Fact]
    public async Task Materialize_rebuilds_the_online_store_from_the_offline_store()
    {
        var topics = await TestTopics.CreateAsync(broker, "materialize");
        var customer = "mat-" + Guid.NewGuid().ToString("N")[..8];
        var group = "materialize-" + Guid.NewGuid().ToString("N");
        await using var host = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, group));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync([
                RawEvents.Transaction(customer, DateTimeOffset.UtcNow.AddDays(-2), 40),
                RawEvents.Transaction(customer, DateTimeOffset.UtcNow.AddDays(-1), 60),
            ]);
        }
        var online = host.Get<IOnlineStore>();
        var key = Stores.Key("customer", customer);
        var token = TestContext.Current.CancellationToken;
        await Eventually.ThatAsync(async () => (await online.GetRowAsync(key, FeatureRegistry.CustomerTransactionsV1, token))?.Values["txn_count_30d"].Int64Value == 2,
            Deadline, "both transactions online");
        // The processor writes a batch's offline rows and online vectors concurrently: the rebuild reads the offline ones.
        await using var database = postgres.CreateDataSource();
        await Eventually.ThatAsync(async () => await Stores.CountAsync(database,
                $"SELECT count(*) FROM feature_store.feature_rows WHERE entity_id = $1 AND feature_view = '{FeatureRegistry.CustomerTransactionsV1.Name}'", customer) >= 2,
            Deadline, "both transactions offline");
        var before = Stores.Describe(customer, FeatureRegistry.CustomerTransactionsV1, await online.GetRowAsync(key, FeatureRegistry.CustomerTransactionsV1, token));

        // Lose the online copy.
        var server = redis.Connection.GetServers()[0];
        await foreach (var redisKey in server.KeysAsync(pattern: $"{redis.KeyPrefix}*{customer}*"))
        {
            await redis.Database.KeyDeleteAsync(redisKey);
        }
        Assert.Null(await online.GetRowAsync(key, FeatureRegistry.CustomerTransactionsV1, token));

        var response = await host.Client.MaterializeAsync(new MaterializeRequest { FeatureViews = { "customer_transactions" } }, cancellationToken: token);

        Assert.True(response.EntitiesWritten >= 1, $"{response.EntitiesWritten} written");
        Assert.Equal(before, Stores.Describe(customer, FeatureRegistry.CustomerTransactionsV1, await online.GetRowAsync(key, FeatureRegistry.CustomerTransactionsV1, token)));
    }
}
