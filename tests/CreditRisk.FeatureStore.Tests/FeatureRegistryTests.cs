using CreditRisk.Contracts.Features.V1;
using CreditRisk.Contracts.Rpc;

namespace CreditRisk.FeatureStore.Tests;

public sealed class FeatureRegistryTests
{
    // A registered version is immutable: its fingerprint is pinned here. Changing a definition in place fails
    // this test; register a new version instead (and pin its fingerprint).
    public static TheoryData<string, int, string> PinnedFingerprints => new()
    {
        { "application", 1, "7139fc3583ffdb46" },
        { "customer_transactions", 1, "5a8e3f75371833d6" },
        { "customer_repayments", 1, "7ae9d756259012eb" },
        { "customer_applications", 1, "79f9090480ca7970" },
    };

    [Theory]
    [MemberData(nameof(PinnedFingerprints))]
    public void A_registered_view_version_never_changes(string name, int version, string fingerprint)
    {
        Assert.Equal(fingerprint, FeatureRegistry.GetView(name, version).Fingerprint);
    }

    [Fact]
    public void Every_registered_view_version_is_pinned()
    {
        var pinned = PinnedFingerprints.Select(row => $"{row.Data.Item1}@{row.Data.Item2}").ToHashSet();
        Assert.All(FeatureRegistry.Views, view => Assert.Contains(view.QualifiedName, pinned));
    }

    [Fact]
    public void Views_and_services_are_unique_by_name_and_version()
    {
        Assert.Equal(FeatureRegistry.Views.Count, FeatureRegistry.Views.Select(view => view.QualifiedName).Distinct().Count());
        Assert.Equal(FeatureRegistry.Services.Count, FeatureRegistry.Services.Select(service => service.QualifiedName).Distinct().Count());
        Assert.All(FeatureRegistry.Views, view =>
            Assert.Equal(view.Features.Count, view.Features.Select(feature => feature.Name).Distinct().Count()));
    }

    [Fact]
    public void The_credit_default_service_resolves_to_pinned_features_of_every_view()
    {
        var features = FeatureRegistry.Resolve(FeatureSelection.Service("credit_default"));

        Assert.Equal(
            ["application", "customer_applications", "customer_repayments", "customer_transactions"],
            features.Select(feature => feature.View.Name).Distinct().Order());
        Assert.Contains(features, feature => feature.Name == "application:payment_to_income");
        Assert.Contains(features, feature => feature.Name == "customer_transactions:txn_max_90d");
        Assert.Contains(features, feature => feature.Name == "customer_repayments:days_since_last_delinquency");
        Assert.Contains(features, feature => feature.Name == "customer_applications:applications_30d");
        Assert.All(features, feature => Assert.NotNull(FeatureRegistry.GetService("credit_default", 1).Features
            .Single(reference => reference.View == feature.View.Name && reference.Feature == feature.Definition.Name).ViewVersion));
    }

    // A registered service version is immutable too: its pinned references are listed here.
    public static TheoryData<string, int, int> PinnedServices => new()
    {
        { "credit_default", 1, 31 },
        { "credit_default_application", 1, 17 },
    };

    [Fact]
    public void Every_registered_service_version_is_pinned()
    {
        Assert.Equal(
            PinnedServices.Select(row => $"{row.Data.Item1}@{row.Data.Item2}").Order(),
            FeatureRegistry.Services.Select(service => service.QualifiedName).Order());
        Assert.All(PinnedServices, row => Assert.Equal(row.Data.Item3, FeatureRegistry.GetService(row.Data.Item1, row.Data.Item2).Features.Count));
    }

    [Fact]
    public void The_credit_default_application_service_is_the_application_view_only()
    {
        var features = FeatureRegistry.Resolve(FeatureSelection.Service("credit_default_application", 1));

        Assert.Equal(FeatureRegistry.ApplicationV1.Features.Select(feature => $"application:{feature.Name}"), features.Select(feature => feature.Name));
        Assert.All(features, feature => Assert.Equal(1, feature.View.Version));
    }

    [Fact]
    public void References_parse_with_and_without_a_version_and_bad_ones_are_named()
    {
        Assert.Equal(new FeatureReference("customer_transactions", "txn_count_30d"), FeatureReference.Parse("customer_transactions:txn_count_30d"));
        Assert.Equal(new FeatureReference("customer_transactions", "txn_count_30d", 1), FeatureReference.Parse("customer_transactions@1:txn_count_30d"));
        Assert.Throws<FormatException>(() => FeatureReference.Parse("no_colon"));
        Assert.Throws<FormatException>(() => FeatureReference.Parse("view@x:feature"));

        var problems = FeatureRegistry.Validate(FeatureSelection.Features(
            "customer_transactions:txn_count_30d", "customer_transactions:nope", "nowhere:x", "customer_transactions@7:txn_count_30d"));

        Assert.Equal(
            ["customer_transactions:nope: unknown feature", "nowhere:x: unknown feature view", "customer_transactions@7:txn_count_30d: unknown feature view"],
            problems);
        Assert.Equal(["feature_service credit_default@9: unknown"], FeatureRegistry.Validate(FeatureSelection.Service("credit_default", 9)));
        Assert.Throws<KeyNotFoundException>(() => FeatureRegistry.Resolve(FeatureSelection.Features("customer_transactions:nope")));
    }

    [Fact]
    public void A_proto_selection_maps_with_every_problem_named()
    {
        var violations = new FieldViolations();
        var resolved = FeatureContractMapping.Resolve(new CreditRisk.Contracts.Features.V1.FeatureSelection
        {
            Features = new FeatureList { References = { "customer_transactions:txn_count_30d", "bad" } },
        }, violations);

        Assert.Null(resolved);
        Assert.Equal("selection.features.references[1]", Assert.Single(violations.Items).Field);

        violations = new FieldViolations();
        var service = FeatureContractMapping.Resolve(new CreditRisk.Contracts.Features.V1.FeatureSelection
        {
            FeatureService = new FeatureServiceRef { Name = "credit_default" },
        }, violations);
        Assert.True(violations.IsEmpty);
        Assert.Equal(FeatureRegistry.CreditDefaultV1.Features.Count, service!.Count);

        // Violations already collected (of other fields) do not hide a valid selection.
        violations = new FieldViolations().Add("rows[0].keys", "at least one entity key required");
        Assert.NotNull(FeatureContractMapping.Resolve(new CreditRisk.Contracts.Features.V1.FeatureSelection
        {
            Features = new FeatureList { References = { "customer_transactions:txn_count_30d" } },
        }, violations));
        Assert.Equal(1, violations.Count);

        violations = new FieldViolations();
        FeatureContractMapping.ToHistoricalEntityRow(
            new CreditRisk.Contracts.Features.V1.EntityRow { Keys = new EntityKeys { Keys = { new CreditRisk.Contracts.Common.V1.EntityKey { Entity = "customer" } } } },
            violations, "entity_rows[3]");
        Assert.Equal("entity_rows[3].keys[0].id: required; entity_rows[3].timestamp: required", violations.ToString());

        var described = FeatureContractMapping.DescribeRegistry();
        Assert.Equal(FeatureRegistry.Views.Count, described.FeatureViews.Count);
        Assert.Contains(described.FeatureViews.Single(view => view.Name == "customer_repayments").Features,
            feature => feature.Aggregation == "count_positive" && feature.Window.ToTimeSpan() == TimeSpan.FromDays(30));
    }
}
