using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Network;

/// <summary>The handler of each implemented API key; also what ApiVersions advertises.</summary>
internal sealed class ApiHandlerRegistry
{
    private readonly IApiHandler?[] _byKey = new IApiHandler?[short.MaxValue + 1];
    private readonly SortedDictionary<short, IApiHandler> _all = [];

    public IEnumerable<IApiHandler> All => _all.Values;

    public void Add(IApiHandler handler)
    {
        var key = (short)handler.Key;
        if (key < 0 || _byKey[key] is not null)
        {
            throw new InvalidOperationException($"A handler for {handler.Key} is already registered");
        }
        _byKey[key] = handler;
        _all.Add(key, handler);
    }

    public IApiHandler? Find(short apiKey) => apiKey >= 0 ? _byKey[apiKey] : null;
}
