using System.Collections.Concurrent;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>What handlers saw, shared between the test and the scoped handlers it registers.</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<(IIntegrationEvent Event, EventContext Context, string Instance)> _handled = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    public IReadOnlyList<(IIntegrationEvent Event, EventContext Context, string Instance)> Handled => [.. _handled];

    public IEnumerable<T> Events<T>() where T : IIntegrationEvent => Handled.Select(entry => entry.Event).OfType<T>();

    public int AttemptsFor(string eventId) => _attempts.GetValueOrDefault(eventId);

    /// <summary>Counts an attempt and returns its number (1 for the first).</summary>
    public int Attempt(string eventId) => _attempts.AddOrUpdate(eventId, 1, (_, count) => count + 1);

    public void Record(IIntegrationEvent @event, EventContext context, string instance = "") => _handled.Enqueue((@event, context, instance));
}
