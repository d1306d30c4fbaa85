using CreditRisk.Persistence.Migrations;
using CreditRisk.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class PostgresExtensions
{
    public const string ConnectionStringName = "Postgres";

    /// <summary>
    /// The process's <see cref="NpgsqlDataSource"/> from "ConnectionStrings:Postgres" (ConnectionStrings__Postgres) and a
    /// readiness check. Safe to call more than once.
    /// </summary>
    public static IHostApplicationBuilder AddPostgres(this IHostApplicationBuilder builder)
    {
        if (ReadinessChecks.TryAdd<PostgresHealthCheck>(builder.Services, "postgres"))
        {
            builder.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(builder.Configuration.GetConnectionString(ConnectionStringName)
                ?? throw new InvalidOperationException(
                    $"ConnectionStrings:{ConnectionStringName} (environment: ConnectionStrings__{ConnectionStringName}) is required: the PostgreSQL connection string.")));
        }
        return builder;
    }

    /// <summary>
    /// PostgreSQL (<see cref="AddPostgres"/>) and the migration of <paramref name="schemas"/>, in this order, while the
    /// host starts and before any hosted service (consumers, relays, the server) does: a failure stops the start.
    /// </summary>
    public static IHostApplicationBuilder AddSchemaMigrations(this IHostApplicationBuilder builder, params SchemaMigrations[] schemas)
    {
        builder.AddPostgres();
        // Not AddHostedService: it registers an implementation type once, and each call here adds schemas.
        builder.Services.AddSingleton<IHostedService>(provider => new SchemaMigrationStartup(
            new SchemaMigrator(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<ILogger<SchemaMigrator>>()),
            [.. schemas]));
        return builder;
    }
}
