using CreditRisk.Persistence.Migrations;
using CreditRisk.Testing.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CreditRisk.ServiceDefaults.Tests;

public sealed class PostgresRegistrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A host without environment variables, so only the settings given here count.</summary>
    private static HostApplicationBuilder Builder(string? connectionString)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (connectionString is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:Postgres", connectionString)]);
        }
        return builder;
    }

    [Fact]
    public async Task Schemas_are_migrated_before_any_hosted_service_starts_even_one_registered_first()
    {
        var builder = Builder(postgres.ConnectionString);
        var probe = new TableProbe("startup_order.marks");
        builder.Services.AddSingleton<IHostedService>(provider => probe.On(provider.GetRequiredService<NpgsqlDataSource>()));
        builder.AddSchemaMigrations(new SchemaMigrations("startup_order",
            [new Migration(1, "0001_marks", "CREATE TABLE startup_order.marks (id int)")]));
        using var host = builder.Build();

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);

        Assert.True(probe.ExistedAtStart);
    }

    [Fact]
    public async Task A_failing_migration_fails_the_start()
    {
        var builder = Builder(postgres.ConnectionString);
        builder.AddSchemaMigrations(new SchemaMigrations("startup_failure", [new Migration(1, "0001_broken", "SELECT 1 / 0")]));
        using var host = builder.Build();

        await Assert.ThrowsAsync<PostgresException>(() => host.StartAsync(Ct));
    }

    [Fact]
    public void Without_a_connection_string_the_data_source_names_the_missing_setting()
    {
        var builder = Builder(connectionString: null);
        builder.AddPostgres();
        using var host = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<NpgsqlDataSource>());
        Assert.Contains("ConnectionStrings__Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_has_a_postgres_check_that_fails_while_the_server_cannot_be_reached()
    {
        var reachable = Builder(postgres.ConnectionString).AddPostgres().AddPostgres();
        var unreachable = Builder(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString).AddPostgres();

        Assert.Equal(HealthStatus.Healthy, await PostgresCheckAsync(reachable));
        Assert.Equal(HealthStatus.Unhealthy, await PostgresCheckAsync(unreachable));
    }

    private static async Task<HealthStatus> PostgresCheckAsync(IHostApplicationBuilder builder)
    {
        using var host = ((HostApplicationBuilder)builder).Build();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        var entry = Assert.Single(report.Entries, entry => entry.Key == "postgres");
        Assert.Contains(CreditRiskTelemetry.ReadyTag, entry.Value.Tags);
        return entry.Value.Status;
    }

    /// <summary>A hosted service that notes, when it starts, whether a table exists.</summary>
    private sealed class TableProbe(string table) : IHostedService
    {
        private NpgsqlDataSource? _dataSource;

        public bool ExistedAtStart { get; private set; }

        public TableProbe On(NpgsqlDataSource dataSource)
        {
            _dataSource = dataSource;
            return this;
        }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var command = _dataSource!.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            ExistedAtStart = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
