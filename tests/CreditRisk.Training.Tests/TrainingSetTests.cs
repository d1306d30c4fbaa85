using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Testing.Kafka;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;
using CreditRisk.Training.Tests.Support;
using Npgsql;

namespace CreditRisk.Training.Tests;

/// <summary>
/// build_training_set end to end: raw events and outcomes through the dev broker into the real features service and the
/// training host's label consumer, then the set at a cut-off compared with a recomputation from the raw events.
/// </summary>
public sealed class TrainingSetTests(StepsFixture steps) : IClassFixture<StepsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly DateTimeOffset T1 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddDays(20);
    private static readonly DateTimeOffset Cutoff = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_training_set_equals_a_point_in_time_recomputation_from_the_raw_events_without_leakage()
    {
        var k1 = "K1-" + Guid.NewGuid().ToString("N")[..6];
        var k2 = "K2-" + Guid.NewGuid().ToString("N")[..6];
        var a1 = HistoryEvents.Application(k1, $"{k1}-A1", T1, 1_500, JobType.Fixed, HomeOwnership.Rent, income: 2_000);
        var a2 = HistoryEvents.Application(k1, $"{k1}-A2", T2, 2_500, JobType.Freelance, HomeOwnership.Rent, income: null);
        var a3 = HistoryEvents.Application(k2, $"{k2}-A3", T1.AddDays(5), 800, JobType.PartTime, HomeOwnership.Owner, income: 1_200);
        var a4 = HistoryEvents.Application(k2, $"{k2}-A4", T1.AddDays(6), 900, JobType.Others, HomeOwnership.Parents, income: 1_100);
        IIntegrationEvent[] raw =
        [
            HistoryEvents.Transaction(k1, T1.AddDays(-60), 100),
            HistoryEvents.Transaction(k1, T1.AddDays(-10), -40),
            // Backfilled: it happened before A1 but the platform learnt it two days after A1 (before A2).
            HistoryEvents.Transaction(k1, T1.AddDays(-5), 999, recorded: T1.AddDays(2)),
            HistoryEvents.Repayment(k1, T1.AddDays(-20), daysPastDue: 5),
            HistoryEvents.Repayment(k1, T1.AddDays(-3), daysPastDue: 0),
            // After A1, before A2: only A2 may see it.
            HistoryEvents.Transaction(k1, T1.AddDays(12), 55),
            a1, a2, a3, a4,
        ];
        IIntegrationEvent[] outcomes =
        [
            HistoryEvents.Outcome(a1, LoanOutcome.Repaid, T1.AddDays(30)),
            // A correction known before the cut-off: A1's label is a default.
            HistoryEvents.Outcome(a1, LoanOutcome.Defaulted, T1.AddDays(50)),
            HistoryEvents.Outcome(a2, LoanOutcome.Repaid, T2.AddDays(30)),
            // A correction known only after the cut-off: A2 stays repaid.
            HistoryEvents.Outcome(a2, LoanOutcome.Defaulted, Cutoff.AddDays(3)),
            // Known before the cut-off but recorded after it (backfilled): not known yet.
            HistoryEvents.Outcome(a3, LoanOutcome.Defaulted, Cutoff.AddDays(-1), recorded: Cutoff.AddDays(2)),
            // Known after the cut-off.
            HistoryEvents.Outcome(a4, LoanOutcome.Repaid, Cutoff.AddDays(10)),
        ];
        var publisher = steps.Training.Get<IEventPublisher>();
        foreach (var @event in raw.Concat(outcomes))
        {
            await publisher.PublishAsync(@event, TestContext.Current.CancellationToken);
        }
        await WaitUntilProcessedAsync(raw, outcomes.Length);

        var context = new InMemoryStepContext(InMemoryStepContext.Definition("credit_default", Cutoff));
        var output = await context.RunAsync(steps.Step(TrainingStepNames.BuildTrainingSet));
        var set = TrainingSet.FromBytes(await context.GetBlobAsync(output.Blob(BuildTrainingSetStep.TrainingSetBlob), TestContext.Current.CancellationToken));

        // Labels at the cut-off: A1 corrected to a default, A2 repaid (its correction is later), A3 and A4 not known.
        Assert.Equal([a1.ApplicationId, a2.ApplicationId], set.Rows.Select(row => row.ApplicationId));
        Assert.Equal([1, 0], set.Rows.Select(row => row.Label));
        Assert.Equal("2", output.Value("row_count"));
        Assert.Equal("1", output.Value("positives"));
        Assert.Equal(output.Value("digest"), output.Blob(BuildTrainingSetStep.TrainingSetBlob));
        Assert.Equal(FeatureRegistry.Resolve(FeatureSelection.Service("credit_default", 1)).Select(feature => feature.Name), set.Features.Select(feature => feature.Name));

        var expected = new Dictionary<string, Dictionary<string, object?>>
        {
            [a1.ApplicationId] = Expected(a1, new()
            {
                // Transactions at A1: the vector of the -10 d one (the backfilled one was recorded after A1): -60 d is in 90 d only.
                ["txn_count_30d"] = 1L, ["txn_sum_30d"] = -40.0, ["txn_mean_30d"] = -40.0, ["txn_max_30d"] = -40.0,
                ["txn_count_90d"] = 2L, ["txn_sum_90d"] = 60.0, ["txn_mean_90d"] = 30.0, ["txn_max_90d"] = 100.0,
                // Repayments: the vector of the -3 d one; one late of two, 17 days before it.
                ["late_payments_30d"] = 1L, ["late_payments_90d"] = 1L, ["max_days_past_due_90d"] = 5L, ["on_time_ratio_90d"] = 0.5,
                ["days_since_last_delinquency"] = 17L,
                // A1's own application vector was recorded after A1: no earlier application.
                ["applications_30d"] = null,
            }),
            [a2.ApplicationId] = Expected(a2, new()
            {
                // At A2 (+20 d): the +12 d transaction's vector, its windows (−18 d, +12 d] and (−78 d, +12 d].
                ["txn_count_30d"] = 3L, ["txn_sum_30d"] = -40.0 + 999 + 55, ["txn_mean_30d"] = (-40.0 + 999 + 55) / 3, ["txn_max_30d"] = 999.0,
                ["txn_count_90d"] = 4L, ["txn_sum_90d"] = 100.0 - 40 + 999 + 55, ["txn_mean_90d"] = (100.0 - 40 + 999 + 55) / 4, ["txn_max_90d"] = 999.0,
                ["late_payments_30d"] = 1L, ["late_payments_90d"] = 1L, ["max_days_past_due_90d"] = 5L, ["on_time_ratio_90d"] = 0.5,
                ["days_since_last_delinquency"] = 17L,
                // A1's vector (A2's own was recorded after A2).
                ["applications_30d"] = 1L,
            }),
        };
        foreach (var row in set.Rows)
        {
            var want = expected[row.ApplicationId];
            var actual = set.Features.Select((feature, f) => $"{row.ApplicationId} {feature.Name} = {Format(row.Values[f])}");
            Assert.Equal(set.Features.Select(feature => $"{row.ApplicationId} {feature.Name} = {Format(want[feature.Name])}"), actual);
            // No leakage: no value describes a time after its application, no label is known after the cut-off.
            Assert.All(row.EventTimes, time => Assert.True(time is null || time <= row.ApplicationTime, $"{row.ApplicationId}: a value at {time:O} after {row.ApplicationTime:O}"));
            Assert.True(row.LabelKnownAt <= Cutoff);
        }
        Assert.Contains(set.Rows[0].EventTimes, time => time == T1.AddDays(-10));

        // The same labels and features give the same bytes.
        var again = await new InMemoryStepContext(context.Run).RunAsync(steps.Step(TrainingStepNames.BuildTrainingSet));
        Assert.Equal(output.Value("digest"), again.Value("digest"));

        // The feature service of the application view alone: the same rows, its features only.
        var applicationOnly = await new InMemoryStepContext(InMemoryStepContext.Definition("credit_default_application", Cutoff, "credit_default_application"))
            .RunAsync(steps.Step(TrainingStepNames.BuildTrainingSet));
        Assert.Equal("2", applicationOnly.Value("row_count"));
        Assert.Equal("credit_default_application", applicationOnly.Value("feature_service"));
    }

    [Fact]
    public async Task An_unknown_feature_service_an_empty_set_and_a_one_class_set_fail_permanently_with_the_reason()
    {
        var customer = "K3-" + Guid.NewGuid().ToString("N")[..6];
        var application = HistoryEvents.Application(customer, $"{customer}-A", new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero), 700, JobType.Fixed, HomeOwnership.Owner, 1_000);
        var publisher = steps.Training.Get<IEventPublisher>();
        var outcome = HistoryEvents.Outcome(application, LoanOutcome.Repaid, new DateTimeOffset(2030, 2, 1, 0, 0, 0, TimeSpan.Zero));
        await publisher.PublishAsync(outcome, TestContext.Current.CancellationToken);
        await Eventually.ThatAsync(async () => (await steps.Training.Get<LabelStore>().LabelsKnownByAsync(new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), cancellationToken: TestContext.Current.CancellationToken)).Rows.Any(row => row.ApplicationId == application.ApplicationId),
            Deadline, "the outcome recorded");
        var build = steps.Step(TrainingStepNames.BuildTrainingSet);

        var empty = await Assert.ThrowsAsync<PipelineStepFailedException>(() =>
            new InMemoryStepContext(InMemoryStepContext.Definition("credit_default", new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))).RunAsync(build));
        Assert.Contains("0 labels known by the cut-off", empty.Message, StringComparison.Ordinal);
        Assert.Contains("(0 defaulted, 0 repaid)", empty.Message, StringComparison.Ordinal);

        // Between 2026's outcomes (if any were recorded by another test) and this one: only repaid loans from 2030.
        var labels = await steps.Training.Get<LabelStore>().LabelsKnownByAsync(new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), true, TestContext.Current.CancellationToken);
        if (labels.Rows.All(row => row.Label == 0))
        {
            var oneClass = await Assert.ThrowsAsync<PipelineStepFailedException>(() =>
                new InMemoryStepContext(InMemoryStepContext.Definition("credit_default", new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero))).RunAsync(build));
            Assert.Contains($"0 defaulted, {labels.Rows.Count} repaid", oneClass.Message, StringComparison.Ordinal);
        }
        var beforeOthers = await Assert.ThrowsAsync<PipelineStepFailedException>(() =>
            new InMemoryStepContext(InMemoryStepContext.Definition("credit_default", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))).RunAsync(build));
        Assert.Contains("both classes are needed", beforeOthers.Message, StringComparison.Ordinal);

        // An unknown feature service needs both classes to get as far as asking: a default in 2030 too.
        var defaulted = HistoryEvents.Application(customer, $"{customer}-B", new DateTimeOffset(2030, 1, 11, 0, 0, 0, TimeSpan.Zero), 900, JobType.Fixed, HomeOwnership.Owner, 1_000);
        await publisher.PublishAsync(HistoryEvents.Outcome(defaulted, LoanOutcome.Defaulted, new DateTimeOffset(2030, 2, 2, 0, 0, 0, TimeSpan.Zero)), TestContext.Current.CancellationToken);
        await Eventually.ThatAsync(async () => (await steps.Training.Get<LabelStore>().LabelsKnownByAsync(new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), cancellationToken: TestContext.Current.CancellationToken)).Rows.Any(row => row.ApplicationId == defaulted.ApplicationId),
            Deadline, "the default recorded");
        var unknown = await Assert.ThrowsAsync<PipelineStepFailedException>(() =>
            new InMemoryStepContext(InMemoryStepContext.Definition("credit_default", new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero), "no_such_service", 3)).RunAsync(build));
        Assert.Contains("no_such_service@3", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("refused", unknown.Message, StringComparison.Ordinal);

        // Nothing reached the registry.
        var model = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            steps.RegistryClient.GetRegisteredModelAsync(new Contracts.Registry.V1.GetRegisteredModelRequest { Name = "credit_default" }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, model.StatusCode);
    }

    private async Task WaitUntilProcessedAsync(IReadOnlyList<IIntegrationEvent> raw, int outcomes)
    {
        var ids = raw.Select(@event => @event.Envelope.EventId).ToArray();
        await using var features = steps.FeaturesDatabase.CreateDataSource();
        await Eventually.ThatAsync(async () =>
        {
            await using var command = features.CreateCommand("SELECT count(DISTINCT event_id) FROM feature_store.feature_rows WHERE event_id = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            return (long)(await command.ExecuteScalarAsync())! == ids.Length;
        }, Deadline, "every raw event in the offline store");
        await using var training = steps.TrainingDatabase.CreateDataSource();
        var applications = raw.OfType<LoanApplicationSubmitted>().Select(application => application.ApplicationId).ToArray();
        await Eventually.ThatAsync(async () =>
        {
            await using var command = training.CreateCommand("SELECT count(*) FROM training.loan_outcomes WHERE application_id = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = applications });
            return (long)(await command.ExecuteScalarAsync())! == outcomes;
        }, Deadline, "every outcome recorded");
    }

    /// <summary>The request-time features computed from the application itself, and the customer features given.</summary>
    private static Dictionary<string, object?> Expected(LoanApplicationSubmitted application, Dictionary<string, object?> customer)
    {
        var expected = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in ApplicationFeatures.Compute(application.Application))
        {
            expected[$"application:{name}"] = value.KindCase switch
            {
                FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue,
                FeatureValue.KindOneofCase.Int64Value => value.Int64Value,
                FeatureValue.KindOneofCase.StringValue => value.StringValue,
                FeatureValue.KindOneofCase.BoolValue => value.BoolValue,
                _ => null,
            };
        }
        foreach (var (name, value) in customer)
        {
            var view = FeatureRegistry.Views.Single(candidate => candidate.Entity == Entities.Customer && candidate.IndexOf(name) >= 0);
            expected[$"{view.Name}:{name}"] = value;
        }
        return expected;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + " (double)",
        long whole => whole.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (int64)",
        bool flag => flag ? "true" : "false",
        string text => $"\"{text}\"",
        _ => value.ToString()!,
    };
}
