using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>
/// The API keys from configuration: ApiKeys:&lt;name&gt;:Key and :Roles ("reader,writer" or an array), e.g. environment
/// ApiKeys__trainer__Key. Keys are compared by their SHA-256 in constant time, and never logged.
/// </summary>
public sealed class ApiKeyDirectory
{
    public const string SectionName = "ApiKeys";

    private readonly List<(byte[] KeyHash, ApiKeyPrincipal Principal)> _keys = [];

    public ApiKeyDirectory(IConfiguration configuration, ILogger<ApiKeyDirectory> logger)
    {
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            var key = entry["Key"];
            if (string.IsNullOrWhiteSpace(key))
            {
                logger.LogWarning("API key {Name} has no Key and is ignored", entry.Key);
                continue;
            }
            _keys.Add((Hash(key), new ApiKeyPrincipal(entry.Key, ParseRoles(entry.GetSection("Roles"), entry.Key, logger))));
        }
        if (_keys.Count == 0)
        {
            logger.LogWarning("No API keys are configured ({Section}): every call that needs one will be refused", SectionName);
        }
    }

    /// <summary>The principal of <paramref name="key"/>, or null when it is missing or unknown.</summary>
    public ApiKeyPrincipal? Authenticate(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }
        var hash = Hash(key);
        ApiKeyPrincipal? found = null;
        foreach (var (keyHash, principal) in _keys)
        {
            // No early exit: the time taken does not depend on which key matched.
            if (CryptographicOperations.FixedTimeEquals(keyHash, hash))
            {
                found = principal;
            }
        }
        return found;
    }

    private static ApiRole ParseRoles(IConfigurationSection section, string keyName, ILogger logger)
    {
        var names = section.Value is { } text
            ? text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(child => child.Value ?? "").ToArray();
        var roles = ApiRole.None;
        foreach (var name in names)
        {
            if (Enum.TryParse<ApiRole>(name, ignoreCase: true, out var role) && role != ApiRole.None && Enum.IsDefined(role))
            {
                roles |= role;
            }
            else
            {
                logger.LogWarning("API key {Name} names unknown role {Role}", keyName, name);
            }
        }
        return roles;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
