namespace CreditRisk.Registry.Security;

/// <summary>The caller behind an API key: its configured name (recorded as the actor of alias moves) and roles.</summary>
public sealed record ApiKeyPrincipal(string Name, RegistryRole Roles)
{
    public bool Has(RegistryRole required) => required switch
    {
        RegistryRole.None => true,
        RegistryRole.Reader => Roles != RegistryRole.None,
        _ => (Roles & required) == required,
    };
}
