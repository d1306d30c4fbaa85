namespace CreditRisk.Testing;

/// <summary>
/// Where integration tests find Redis and PostgreSQL: the same environment variables the services
/// read, defaulting to what deploy/local/infra.sh starts.
/// </summary>
public static class InfrastructureSettings
{
    public const string StartHint = "start it with: deploy/local/infra.sh up (tools/test.sh does this)";

    public static string RedisConfiguration =>
        Environment.GetEnvironmentVariable("Redis__Configuration") ?? "127.0.0.1:6379";

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=5432;Username=creditrisk;Database=creditrisk";
}
