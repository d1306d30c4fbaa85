namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>The caller behind an API key: its configured name (recorded as the actor of what it changes) and roles.</summary>
public sealed record ApiKeyPrincipal(string Name, ApiRole Roles)
{
    public bool Has(ApiRole required) => required switch
    {
        ApiRole.None => true,
        _ when Roles.HasFlag(ApiRole.Admin) => true,
        ApiRole.Reader => Roles != ApiRole.None,
        _ => (Roles & required) == required,
    };
}
