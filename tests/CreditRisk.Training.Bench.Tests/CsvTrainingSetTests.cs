using CreditRisk.FeatureStore;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench.Tests;

public sealed class CsvTrainingSetTests
{
    private static readonly string CreditData = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public void The_same_file_and_seed_give_the_same_bytes_and_another_seed_other_times()
    {
        var first = CsvTrainingSet.Read(CreditData, seed: 42).ToBytes();
        var again = CsvTrainingSet.Read(CreditData, seed: 42).ToBytes();
        var other = CsvTrainingSet.Read(CreditData, seed: 7);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other.ToBytes());
        Assert.Equal(4_454, other.Rows.Count);
    }

    [Fact]
    public void Its_columns_are_the_feature_service_s_names_types_and_kinds_in_its_order()
    {
        var set = CsvTrainingSet.Read(CreditData, seed: 42);
        var service = FeatureRegistry.CreditDefaultApplicationV1;
        var expected = FeatureRegistry.Resolve(FeatureSelection.Service(service.Name, service.Version)).ToList();

        Assert.Equal((service.Name, service.Version), (set.FeatureService, set.FeatureServiceVersion));
        Assert.Equal(expected.Select(feature => feature.Name), set.Features.Select(feature => feature.Name));
        Assert.Equal(expected.Select(feature => feature.Definition.ValueType.ToString().ToLowerInvariant()), set.Features.Select(feature => feature.Type));
        Assert.Equal(CreditRisk.Modeling.Data.ColumnKind.Categorical, set.Features.Single(feature => feature.Name == "application:job").Kind);
        Assert.Equal(CreditRisk.Modeling.Data.ColumnKind.Numeric, set.Features.Single(feature => feature.Name == "application:records").Kind);
    }

    [Fact]
    public void A_row_holds_the_importer_s_application_and_the_features_service_s_values()
    {
        // Line 2 of credit_data.csv: "good",9,"rent",60,30,"married","no","freelance",73,129,0,0,800,846
        var set = CsvTrainingSet.Read(CreditData, seed: 42);
        var row = set.Rows.Single(candidate => candidate.ApplicationId == "app-00001");
        object? Value(string feature) => row.Values[set.Features.ToList().FindIndex(column => column.Name == "application:" + feature)];

        Assert.Equal("cust-00001", row.CustomerId);
        Assert.Equal(0, row.Label);
        Assert.Equal(800.0, Value("amount"));
        Assert.Equal(60L, Value("term"));
        Assert.Equal(9L, Value("seniority"));
        Assert.Equal("rent", Value("home"));
        Assert.Equal("freelance", Value("job"));
        Assert.Equal(false, Value("records"));
        Assert.Equal(800.0 / 846, Value("loan_to_price"));
        Assert.Equal(129.0 - 73, Value("disposable_income"));
        Assert.All(row.EventTimes, time => Assert.Equal(row.ApplicationTime, time));
        Assert.InRange(row.LabelKnownAt - row.ApplicationTime, TimeSpan.FromDays(180), TimeSpan.FromDays(366));
        // credit_data writes part-time work "partime"; the service's category is part_time.
        Assert.Contains(set.Rows, candidate => (string?)candidate.Values[set.Features.ToList().FindIndex(column => column.Name == "application:job")] == "part_time");
    }

    [Fact]
    public void Applications_span_two_years_in_order_and_the_set_passes_every_validation_check()
    {
        var set = CsvTrainingSet.Read(CreditData, seed: 42);
        var run = new PipelineRunDefinition(Guid.NewGuid(), "m", set.FeatureService, set.FeatureServiceVersion, set.Cutoff, new Dictionary<string, string>(), "manual", null);

        Assert.Equal(1_254, set.Positives);
        Assert.Equal(set.Rows.OrderBy(row => row.ApplicationTime).ThenBy(row => row.ApplicationId, StringComparer.Ordinal), set.Rows);
        Assert.InRange(set.Rows[^1].ApplicationTime - set.Rows[0].ApplicationTime, TimeSpan.FromDays(700), TimeSpan.FromDays(731));
        Assert.All(ValidateStep.Check(set, StepParameters.Of(run), set.Cutoff), check => Assert.True(check.Passed, $"{check.Name}: {check.Detail}"));
        var latest = OutOfTimeSlice.Of(set, StepParameters.DefaultOutOfTimeFraction).Latest;
        Assert.InRange((double)latest.PositiveCount / latest.Count, 0.15, 0.45);
    }
}
