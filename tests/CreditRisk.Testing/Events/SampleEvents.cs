using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Testing.Events;

/// <summary>One instance of every integration event with every field set to a non-default value.</summary>
public static class SampleEvents
{
    private static readonly DateTimeOffset EventTime = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    private static EventEnvelope Envelope(string entityKey) => new()
    {
        EventId = "0195e6a3-5b7e-7cc1-9f0e-3a4b5c6d7e8f",
        EntityKey = entityKey,
        EventTime = Timestamp.FromDateTimeOffset(EventTime),
        RecordedTime = Timestamp.FromDateTimeOffset(EventTime.AddSeconds(2)),
        Source = "loan-origination",
        SchemaVersion = 1,
    };

    private static Feature Feature(string name, double value) => new()
    {
        Name = name,
        Value = new FeatureValue { DoubleValue = value },
        EventTime = Timestamp.FromDateTimeOffset(EventTime),
    };

    public static IReadOnlyList<IIntegrationEvent> All { get; } =
    [
        new LoanApplicationSubmitted
        {
            Envelope = Envelope("C-1"),
            ApplicationId = "A-1",
            CustomerId = "C-1",
            Application = new LoanApplication
            {
                Amount = 1000, TermMonths = 36, Price = 1250, Income = 130, Expenses = 75, Assets = 3000, Debt = 200,
                AgeYears = 34, SeniorityYears = 5, Home = HomeOwnership.Owner, Marital = MaritalStatus.Married,
                Job = JobType.Fixed, HasPriorDefaultRecords = true,
            },
        },
        new TransactionRecorded
        {
            Envelope = Envelope("C-1"), TransactionId = "T-1", CustomerId = "C-1", Amount = -42.5, Currency = "EUR", Category = "groceries",
        },
        new RepaymentRecorded
        {
            Envelope = Envelope("C-1"), RepaymentId = "R-1", LoanId = "L-1", CustomerId = "C-1",
            DueDate = Timestamp.FromDateTimeOffset(EventTime.AddDays(-10)), PaidDate = Timestamp.FromDateTimeOffset(EventTime),
            AmountDue = 120, AmountPaid = 100, DaysPastDue = 10,
        },
        new LoanOutcomeRecorded
        {
            Envelope = Envelope("C-1"), LoanId = "L-1", ApplicationId = "A-1", CustomerId = "C-1", Outcome = LoanOutcome.Defaulted,
            ApplicationTime = Timestamp.FromDateTimeOffset(EventTime.AddMonths(-9)),
        },
        new FeatureVectorUpdated
        {
            Envelope = Envelope("customer:C-1"),
            Entity = new EntityKey { Entity = "customer", Id = "C-1" },
            FeatureView = "customer_transactions_30d",
            FeatureViewVersion = 2,
            Features = { Feature("txn_count_30d", 17), Feature("txn_sum_30d", -830.25) },
            SourceEventId = "0195e6a3-0000-7000-8000-000000000001",
        },
        new PredictionLogged
        {
            Envelope = Envelope("C-1"), PredictionId = "P-1", RequestId = "Q-1", ApplicationId = "A-1", CustomerId = "C-1",
            ModelName = "credit-default", ModelVersion = 3, Variant = "champion", Served = true, DefaultProbability = 0.27,
            Decision = "REVIEW", Features = { Feature("debt_to_income", 1.53) }, LatencyMs = 1.8,
            FeatureStatuses = { FeatureStatus.Present }, RiskGrade = "C",
            ReasonCodes = { new PredictionReason { Feature = "application:debt_to_income", Contribution = 0.41 } },
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", ExperimentRevision = 2, DefaultsUsed = true, Degraded = true,
        },
        new ModelVersionRegistered
        {
            Envelope = Envelope("credit-default"), ModelName = "credit-default", Version = 3, RunId = "run-9",
            FeatureService = "credit_default_v1", FeatureServiceVersion = 1, ArtifactDigest = new string('a', 64),
            Metrics = { ["auc"] = 0.83, ["log_loss"] = 0.44 }, ReferenceProfileDigest = new string('c', 64),
        },
        new ModelVersionPromoted
        {
            Envelope = Envelope("credit-default"), ModelName = "credit-default", Alias = "champion", FromVersion = 2, ToVersion = 3,
            Actor = "ops@bank", Reason = "higher AUC on holdout", IsRollback = true, ArtifactDigest = new string('b', 64),
        },
        new ServingExperimentChanged
        {
            Envelope = Envelope("credit-default"), ModelName = "credit-default", Revision = 4, Actor = "ops@bank", Reason = "10% canary",
            Arms =
            {
                new ServingArm { Name = "champion", Alias = "champion", Weight = 0.9 },
                new ServingArm { Name = "canary", Version = 5, Weight = 0.1 },
            },
        },
        new DriftReportPublished
        {
            Envelope = Envelope("credit-default"), ReportId = "D-1", ModelName = "credit-default", ModelVersion = 3,
            WindowStart = Timestamp.FromDateTimeOffset(EventTime.AddHours(-1)), WindowEnd = Timestamp.FromDateTimeOffset(EventTime),
            SampleSize = 5000,
            Features = { new FeatureDrift { Feature = "income", Method = "psi", Value = 0.31, Threshold = 0.2, Drifted = true } },
            Prediction = new FeatureDrift { Feature = "default_probability", Method = "psi", Value = 0.05, Threshold = 0.2, Drifted = true },
            DriftDetected = true,
            Served = true,
            DriftShare = 1,
            DriftShareThreshold = 0.5,
            PredictionDrift = true,
            DataQuality =
            {
                new FeatureQuality
                {
                    Feature = "job", MissingShare = 0.01, OutOfRangeShare = 0.02, NewCategoryShare = 0.3, NewCategories = { "gig" },
                    NotFoundShare = 0.04, OutsideTtlShare = 0.05,
                },
            },
            Performance = new WindowPerformance
            {
                Labelled = 120, LabelledShare = 0.024, Defaulted = 30, RocAuc = 0.71, Ks = 0.33, ExpectedCalibrationError = 0.04,
                Calibration = { new CalibrationBucket { Lower = 0, Upper = 0.1, Count = 80, MeanPredicted = 0.05, ObservedRate = 0.06 } },
                ReferenceRocAuc = 0.79, PerformanceDrop = true,
            },
            SchemaMismatches = 2,
            ReferenceSize = 5000,
            HtmlPath = "/drift/reports/D-1",
            Alerts = { "dataset drift" },
        },
        new RetrainRequested
        {
            Envelope = Envelope("credit-default"), RequestId = "RR-1", ModelName = "credit-default", Trigger = RetrainTrigger.Drift,
            Reason = "income drifted (psi 0.31)", DriftReportId = "D-1",
        },
    ];
}
