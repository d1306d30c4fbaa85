using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore.Tests;

public sealed class ApplicationFeaturesTests
{
    private static LoanApplication Sample() => new()
    {
        Amount = 1000, TermMonths = 40, Price = 1250, Income = 200, Expenses = 75, Assets = 3000, Debt = 300,
        AgeYears = 34, SeniorityYears = 5, Home = HomeOwnership.Owner, Marital = MaritalStatus.Married,
        Job = JobType.PartTime, HasPriorDefaultRecords = true,
    };

    [Fact]
    public void Computes_every_defined_feature_with_its_declared_type()
    {
        var values = ApplicationFeatures.Compute(Sample());

        Assert.Equal(ApplicationFeatures.Definitions.Select(feature => feature.Name).Order(), values.Keys.Order());
        foreach (var feature in ApplicationFeatures.Definitions)
        {
            var expected = feature.ValueType switch
            {
                FeatureValueType.Double => FeatureValue.KindOneofCase.DoubleValue,
                FeatureValueType.Int64 => FeatureValue.KindOneofCase.Int64Value,
                FeatureValueType.String => FeatureValue.KindOneofCase.StringValue,
                _ => FeatureValue.KindOneofCase.BoolValue,
            };
            Assert.True(expected == values[feature.Name].KindCase, $"{feature.Name}: {values[feature.Name].KindCase}");
        }
        Assert.Equal(1000, values["amount"].DoubleValue);
        Assert.Equal(40, values["term"].Int64Value);
        Assert.Equal("owner", values["home"].StringValue);
        Assert.Equal("married", values["marital"].StringValue);
        Assert.Equal("part_time", values["job"].StringValue);
        Assert.True(values["records"].BoolValue);
        Assert.Equal(0.8, values["loan_to_price"].DoubleValue, 12);
        Assert.Equal(1.5, values["debt_to_income"].DoubleValue, 12);
        Assert.Equal(0.125, values["payment_to_income"].DoubleValue, 12);   // (1000 / 40) / 200
        Assert.Equal(125, values["disposable_income"].DoubleValue, 12);
    }

    [Fact]
    public void Missing_income_assets_and_debt_give_nulls_not_zeros_or_infinities()
    {
        var application = Sample();
        application.ClearIncome();
        application.ClearAssets();
        application.ClearDebt();
        application.Home = HomeOwnership.Unspecified;

        var values = ApplicationFeatures.Compute(application);

        foreach (var name in new[] { "income", "assets", "debt", "debt_to_income", "payment_to_income", "disposable_income", "home" })
        {
            Assert.True(values[name].IsNull(), $"{name} should be null, was {values[name].Format()}");
        }
        Assert.Equal(0.8, values["loan_to_price"].DoubleValue, 12);
    }

    [Fact]
    public void Zero_divisors_give_null_ratios()
    {
        var application = Sample();
        application.Income = 0;
        application.Price = 0;
        application.TermMonths = 0;

        var values = ApplicationFeatures.Compute(application);

        Assert.True(values["loan_to_price"].IsNull());
        Assert.True(values["debt_to_income"].IsNull());
        Assert.True(values["payment_to_income"].IsNull());
        Assert.Equal(0, values["income"].DoubleValue);
    }
}
