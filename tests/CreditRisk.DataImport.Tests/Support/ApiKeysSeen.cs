using System.Collections.Concurrent;

namespace CreditRisk.DataImport.Tests.Support;

/// <summary>The x-api-key values the service received, in arrival order.</summary>
public sealed class ApiKeysSeen
{
    private readonly ConcurrentQueue<string> _keys = new();

    public IReadOnlyList<string> Keys => [.. _keys];

    public void Add(string key) => _keys.Enqueue(key);
}
