using CreditRisk.Persistence.Migrations;

namespace CreditRisk.Features.Persistence;

/// <summary>The stream processor's schema <c>feature_processor</c> (customer states, source offsets): the scripts in Persistence/Migrations.</summary>
public static class FeatureProcessorSchema
{
    public const string Name = "feature_processor";

    public static SchemaMigrations Migrations { get; } =
        SchemaMigrations.FromEmbeddedSql(Name, typeof(FeatureProcessorSchema).Assembly, "Persistence/Migrations", lockKey: 0x46454154_55524553);   // "FEATURES"
}
