using CreditRisk.Persistence.Migrations;

namespace CreditRisk.Registry.Data;

/// <summary>The registry's tables, in schema <c>public</c>: the scripts in Data/Migrations.</summary>
public static class RegistrySchema
{
    public static SchemaMigrations Migrations { get; } =
        SchemaMigrations.FromEmbeddedSql("public", typeof(RegistrySchema).Assembly, "Data/Migrations", lockKey: 0x5245_4749_5354_5259);   // "REGISTRY"
}
