using CreditRisk.Persistence.Migrations;

namespace CreditRisk.Drift.Service.Persistence;

/// <summary>Drift monitoring's schema <c>drift</c>: the scripts in Persistence/Migrations.</summary>
public static class DriftSchema
{
    public const string Name = "drift";

    public const string OutboxTable = "drift.outbox";

    public static SchemaMigrations Migrations { get; } =
        SchemaMigrations.FromEmbeddedSql(Name, typeof(DriftSchema).Assembly, "Persistence/Migrations");
}
