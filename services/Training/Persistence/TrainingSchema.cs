using CreditRisk.Persistence.Migrations;

namespace CreditRisk.Training.Persistence;

/// <summary>The training service's schema <c>training</c> (loan outcomes, the labels' history): the scripts in Persistence/Migrations.</summary>
public static class TrainingSchema
{
    public const string Name = "training";

    public static SchemaMigrations Migrations { get; } =
        SchemaMigrations.FromEmbeddedSql(Name, typeof(TrainingSchema).Assembly, "Persistence/Migrations");
}
