using Npgsql;

namespace CreditRisk.Persistence.Migrations;

/// <summary>
/// One step of a schema: its SQL and, when rows must be converted by code, a step that runs right after the SQL on the
/// same connection, inside the migration's transaction (so the two commit or roll back together).
/// </summary>
/// <param name="Number">The NNNN of "NNNN_name.sql": the order, and what "up to version N" counts.</param>
/// <param name="Version">"NNNN_name": what the version table records.</param>
/// <param name="Sql">The script, any number of statements.</param>
/// <param name="After">Code run after the script, or null.</param>
public sealed record Migration(int Number, string Version, string Sql, Func<NpgsqlConnection, CancellationToken, Task>? After = null);
