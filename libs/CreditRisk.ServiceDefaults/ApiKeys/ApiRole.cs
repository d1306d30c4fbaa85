namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>What an API key may do. Every role may also read; an admin may do everything.</summary>
[Flags]
public enum ApiRole
{
    None = 0,
    Reader = 1,
    Writer = 2,
    Promoter = 4,
    Admin = 8,
}
