using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Features.V1;
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

/// <summary>The historical API names, per value, the event time of the vector it came from (the leakage guard of training reads it).</summary>
public sealed class HistoricalEventTimesTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Each_value_carries_the_event_time_of_its_vector_and_a_missing_one_the_default_timestamp()
    {
        var topics = await TestTopics.CreateAsync(broker, "event-times");
        var customer = "evt-" + Guid.NewGuid().ToString("N")[..8];
        var group = "event-times-" + Guid.NewGuid().ToString("N");
        var first = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var second = first.AddDays(3);
        await using var host = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, group, TimeSpan.FromDays(365)));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync([RawEvents.Transaction(customer, first, 40), RawEvents.Transaction(customer, second, 60)]);
        }
        await Eventually.ThatAsync(() => topics.IsDrained(broker, group), TimeSpan.FromSeconds(90), "both transactions processed");

        var token = TestContext.Current.CancellationToken;
        using var call = host.Client.GetHistoricalFeatures(cancellationToken: token);
        var keys = new EntityKeys { Keys = { new EntityKey { Entity = "customer", Id = customer } } };
        await call.RequestStream.WriteAsync(new GetHistoricalFeaturesRequest
        {
            Selection = new FeatureSelection { Features = new FeatureList { References = { "customer_transactions:txn_sum_30d", "customer_repayments:late_payments_30d" } } },
            ExcludeBackfilled = true,
            EntityRows =
            {
                new EntityRow { Keys = keys, Timestamp = Timestamp.FromDateTimeOffset(first.AddDays(1)), RowId = "between" },
                new EntityRow { Keys = keys, Timestamp = Timestamp.FromDateTimeOffset(second.AddDays(1)), RowId = "after" },
                new EntityRow { Keys = keys, Timestamp = Timestamp.FromDateTimeOffset(first.AddDays(-1)), RowId = "before" },
            },
        }, token);
        await call.RequestStream.CompleteAsync();
        var rows = new List<HistoricalFeatureRow>();
        await foreach (var message in call.ResponseStream.ReadAllAsync(token))
        {
            rows.AddRange(message.Rows);
        }

        Assert.Equal(["between", "after", "before"], rows.Select(row => row.EntityRow.RowId));
        Assert.All(rows, row => Assert.Equal(row.Values.Count, row.EventTimes.Count));
        Assert.Equal(40, rows[0].Values[0].DoubleValue);
        Assert.Equal(first, rows[0].EventTimes[0].ToDateTimeOffset());
        Assert.Equal(100, rows[1].Values[0].DoubleValue);
        Assert.Equal(second, rows[1].EventTimes[0].ToDateTimeOffset());
        // No repayment ever, and no transaction before the first: no candidate, no time.
        Assert.All(rows, row => Assert.Equal(new Timestamp(), row.EventTimes[1]));
        Assert.True(rows[2].Values[0].IsNull());
        Assert.Equal(new Timestamp(), rows[2].EventTimes[0]);
    }
}
