using System.Collections.Concurrent;

namespace CreditRisk.ServiceDefaults.ApiKeys;

/// <summary>
/// The role a gRPC method needs, on the method of the service implementation (gRPC adds it to the endpoint's metadata).
/// A method without it is refused: access is denied by default.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class RequiresRoleAttribute(ApiRole role) : Attribute
{
    public ApiRole Role { get; } = role;

    private static readonly ConcurrentDictionary<(Type Service, string Method), ApiRole?> Declared = new();

    /// <summary>The role <paramref name="method"/> of <typeparamref name="TService"/> declares, for routes that serve it too.</summary>
    public static ApiRole? Of<TService>(string method) =>
        Declared.GetOrAdd((typeof(TService), method), key =>
            key.Service.GetMethod(key.Method)?.GetCustomAttributes(typeof(RequiresRoleAttribute), inherit: true)
                .OfType<RequiresRoleAttribute>().FirstOrDefault()?.Role);
}
