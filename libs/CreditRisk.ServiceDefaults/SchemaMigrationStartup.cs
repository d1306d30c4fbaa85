using CreditRisk.Persistence.Migrations;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.ServiceDefaults;

/// <summary>
/// Migrates schemas in the host's starting phase, which runs before the start of every hosted service, whatever
/// their registration order (see <c>AddSchemaMigrations</c>).
/// </summary>
internal sealed class SchemaMigrationStartup(SchemaMigrator migrator, IReadOnlyList<SchemaMigrations> schemas) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var schema in schemas)
        {
            await migrator.MigrateAsync(schema, cancellationToken);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
