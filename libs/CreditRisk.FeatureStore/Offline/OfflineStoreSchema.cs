using CreditRisk.Persistence.Migrations;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The offline store's schema <c>feature_store</c>: the scripts in Offline/Migrations, and after migration 2 the
/// conversion of version 1's jsonb rows into the binary table, in that migration's transaction.
/// </summary>
public static class OfflineStoreSchema
{
    public const string Name = "feature_store";

    public static SchemaMigrations Migrations { get; } =
        SchemaMigrations.FromEmbeddedSql(Name, typeof(OfflineStoreSchema).Assembly, "Offline/Migrations")
            .WithStepAfter(2, PostgresOfflineStore.ConvertVersion1RowsAsync);
}
