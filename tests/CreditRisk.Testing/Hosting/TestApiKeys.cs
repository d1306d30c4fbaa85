namespace CreditRisk.Testing.Hosting;

/// <summary>
/// API keys made up per test run and handed to every service a test hosts through configuration (never stored in the
/// repo): one per role.
/// </summary>
public static class TestApiKeys
{
    public static readonly string Reader = "reader-" + Guid.NewGuid().ToString("N");
    public static readonly string Writer = "writer-" + Guid.NewGuid().ToString("N");
    public static readonly string Promoter = "promoter-" + Guid.NewGuid().ToString("N");
    public static readonly string Admin = "admin-" + Guid.NewGuid().ToString("N");

    public static IEnumerable<KeyValuePair<string, string?>> Configuration() =>
    [
        new("ApiKeys:dashboard:Key", Reader),
        new("ApiKeys:dashboard:Roles", "reader"),
        new("ApiKeys:trainer:Key", Writer),
        new("ApiKeys:trainer:Roles", "reader,writer"),
        new("ApiKeys:release-manager:Key", Promoter),
        new("ApiKeys:release-manager:Roles:0", "reader"),
        new("ApiKeys:release-manager:Roles:1", "promoter"),
        new("ApiKeys:pipeline:Key", Admin),
        new("ApiKeys:pipeline:Roles", "admin"),
    ];
}
