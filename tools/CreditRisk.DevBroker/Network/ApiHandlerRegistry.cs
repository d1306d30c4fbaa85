using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Network;

/// <summary>The handler of each implemented API key; also what ApiVersions advertises.</summary>
internal sealed class ApiHandlerRegistry
{
    /// <summary>Kafka API keys are small (below 100 today); an array makes the per-request lookup trivial.</summary>
    private const int MaxApiKey = 1023;

    private readonly IApiHandler?[] _byKey = new IApiHandler?[MaxApiKey + 1];
    private readonly SortedDictionary<short, IApiHandler> _all = [];

    public IEnumerable<IApiHandler> All => _all.Values;

    public void Add(IApiHandler handler)
    {
        var key = (short)handler.Key;
        if (key is < 0 or > MaxApiKey || _byKey[key] is not null)
        {
            throw new InvalidOperationException($"A handler for {handler.Key} is already registered or the key is out of range");
        }
        _byKey[key] = handler;
        _all.Add(key, handler);
    }

    public IApiHandler? Find(short apiKey) => apiKey is >= 0 and <= MaxApiKey ? _byKey[apiKey] : null;
}
