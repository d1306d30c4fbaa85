using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore.Tests.Support;
using CreditRisk.Testing.Redis;
using Microsoft.Extensions.Time.Testing;
using static CreditRisk.FeatureStore.Tests.Support.Rows;

namespace CreditRisk.FeatureStore.Tests;

/// <summary>
/// One feature definition, two paths: vectors computed by <see cref="CustomerFeatureState"/> and
/// <see cref="ApplicationFeatures"/> are written to both stores the way the features service does; the online
/// read, the point-in-time read and the materialised online store must all give the same values.
/// </summary>
public sealed class OnlineOfflineConsistencyTests(OfflineStoreDatabase database, RedisFixture redis)
    : IClassFixture<OfflineStoreDatabase>, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_same_definition_gives_identical_values_online_historically_and_after_materialisation()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(T0);
        var online = new RedisOnlineStore(redis.Connection, new RedisOnlineStoreOptions { KeyPrefix = redis.KeyPrefix + "stream:" }, clock);
        var random = new Random(42);
        var customers = Enumerable.Range(0, 20).Select(i => $"C-{i}").ToArray();
        var states = customers.ToDictionary(id => id, id => new CustomerFeatureState(id));
        var latestTime = new Dictionary<string, DateTimeOffset>();

        // 600 raw events, processed as the stream processor does: apply, compute the view at the watermark, write both stores.
        for (var i = 0; i < 600; i++)
        {
            var customer = customers[random.Next(customers.Length)];
            var time = T0.AddMinutes(i * 173 + random.Next(60));
            var source = (SourceEvent)random.Next(3);
            var measure = source switch
            {
                SourceEvent.TransactionRecorded => Math.Round(random.NextDouble() * 400 - 200, 2),
                SourceEvent.RepaymentRecorded => random.Next(4) == 0 ? random.Next(1, 60) : 0,
                _ => random.Next(500, 5000),
            };
            var state = states[customer];
            var eventId = $"evt-{i:D5}";
            Assert.Equal(ApplyOutcome.Accepted, state.Apply(new CustomerEvent(source, time, measure, eventId)));
            var rows = FeatureRegistry.ViewsFor(source)
                .Select(view => new FeatureRow(Customer(customer), view.Name, view.Version, state.ComputeLatest(view), state.Watermark!.Value, time.AddSeconds(1), eventId))
                .ToList();
            if (source == SourceEvent.LoanApplicationSubmitted)
            {
                var application = new LoanApplication { Amount = measure, TermMonths = 24, Price = measure * 1.2, Expenses = 60 };
                if (random.Next(3) != 0)
                {
                    application.Income = 150 + i;   // otherwise missing: the ratios must be null on both paths
                }
                rows.Add(new FeatureRow(Application($"A-{i}"), "application", 1, ApplicationFeatures.Compute(application), time, time, eventId));
            }
            await online.WriteAsync(rows, ct);
            await database.Store.AppendAsync(rows, ct);
            latestTime[customer] = state.Watermark!.Value;
        }

        var features = FeatureRegistry.Resolve(FeatureSelection.Service("credit_default"))
            .Where(feature => feature.View.Entity == Entities.Customer).ToArray();
        // Read as of each customer's last event: TTLs all hold, so every status is PRESENT.
        var onlineValues = new Dictionary<string, string>();
        foreach (var customer in customers.Where(latestTime.ContainsKey))
        {
            clock.AdjustTime(latestTime[customer]);
            var vector = (await online.ReadAsync([new EntityRow(Customer(customer))], features, ct)).Single();
            onlineValues[customer] = DescribeOnline(vector);
        }
        var historicalRows = customers.Where(latestTime.ContainsKey)
            .Select(customer => new HistoricalEntityRow(new EntityRow(Customer(customer)), latestTime[customer], customer));
        var historical = await database.Store.GetHistoricalFeaturesAsync(historicalRows, features, cancellationToken: ct).ToListAsync(ct);

        Assert.Equal(onlineValues.Count, historical.Count);
        var checkedViews = 0;
        foreach (var row in historical)
        {
            var customer = row.EntityRow.RowId;
            var presentOnline = onlineValues[customer];
            var statuses = row.Features.Select(feature => feature.EventTime is null ? FeatureStatus.NotFound : FeatureStatus.Present);
            Assert.Equal(presentOnline, Describe(row.Features, statuses));
            // And both equal a fresh computation from the state.
            foreach (var view in FeatureRegistry.StreamingViews)
            {
                var fromState = states[customer].Compute(view, latestTime[customer]);
                foreach (var (feature, value) in features.Zip(row.Features).Where(pair => pair.First.View == view && pair.Second.EventTime is not null))
                {
                    // A view's vector is as of its own last event; window features may have moved since only if
                    // another event of that view came later, which the watermark-time vector includes.
                    if (value.EventTime.ToDateTimeOffset() == latestTime[customer])
                    {
                        Assert.Equal(fromState[feature.Definition.Name].Format(), value.Value.Format());
                        checkedViews++;
                    }
                }
            }
        }
        Assert.True(checkedViews > 0);

        // Materialise into an empty online store: same answers.
        var rebuilt = new RedisOnlineStore(redis.Connection, new RedisOnlineStoreOptions { KeyPrefix = redis.KeyPrefix + "rebuilt:" }, clock);
        var result = await new Materializer(database.Store, rebuilt).MaterializeAsync(cancellationToken: ct);
        Assert.Equal(result.RowsRead, result.RowsApplied);
        Assert.True(result.PerView["application@1"].Read > 0);
        foreach (var customer in onlineValues.Keys)
        {
            clock.AdjustTime(latestTime[customer]);
            var vector = (await rebuilt.ReadAsync([new EntityRow(Customer(customer))], features, ct)).Single();
            Assert.Equal(onlineValues[customer], DescribeOnline(vector));
        }
        // Materialising again applies nothing: the online store already holds these rows.
        Assert.Equal(0, (await new Materializer(database.Store, rebuilt).MaterializeAsync(cancellationToken: ct)).RowsApplied);

        var applicationFeatures = FeatureRegistry.ApplicationV1.Features.Select(f => new ResolvedFeature(FeatureRegistry.ApplicationV1, f)).ToArray();
        var someApplication = (await database.Store.GetLatestRowsAsync(FeatureRegistry.ApplicationV1, cancellationToken: ct).FirstAsync(ct)).Entity;
        var fromOnline = (await online.ReadAsync([new EntityRow(someApplication)], applicationFeatures, ct)).Single();
        var fromOffline = (await database.Store.GetHistoricalFeaturesAsync(
            [new HistoricalEntityRow(new EntityRow(someApplication), T0.AddYears(5), "a")], applicationFeatures, cancellationToken: ct).ToListAsync(ct)).Single();
        Assert.Equal(
            Describe(fromOnline.Features.Select(s => s.Feature), fromOnline.Features.Select(s => s.Status)),
            Describe(fromOffline.Features, fromOffline.Features.Select(_ => FeatureStatus.Present)));
    }

    // Online OUTSIDE_TTL is what the historical path calls "no candidate within the TTL": a null.
    private static string DescribeOnline(OnlineFeatureVector vector) => Describe(
        vector.Features.Select(served => served.Status == FeatureStatus.OutsideTtl ? new Feature { Name = served.Feature.Name, Value = new FeatureValue() } : served.Feature),
        vector.Features.Select(served => served.Status == FeatureStatus.OutsideTtl ? FeatureStatus.NotFound : served.Status));

    private static string Describe(IEnumerable<Feature> features, IEnumerable<FeatureStatus> statuses) =>
        string.Join("; ", features.Zip(statuses).Select(pair =>
            $"{pair.First.Name}={pair.First.Value.Format()}@{pair.First.EventTime?.ToDateTimeOffset():O}/{pair.Second}"));
}
