namespace CreditRisk.Registry.Security;

/// <summary>What an API key may do. Writers and promoters may also read.</summary>
[Flags]
public enum RegistryRole
{
    None = 0,
    Reader = 1,
    Writer = 2,
    Promoter = 4,
}
