namespace CreditRisk.Registry.Data;

/// <summary>Migrates the schema at start-up, before the server accepts calls (hosted services start first).</summary>
public sealed class DatabaseMigrationService(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
