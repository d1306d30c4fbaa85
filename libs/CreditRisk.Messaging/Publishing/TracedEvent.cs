using System.Diagnostics;
using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Messaging.Publishing;

/// <summary>
/// An event published later than the operation that caused it (a scored request whose prediction is logged in a
/// batch): its record carries <see cref="Origin"/>'s trace context, so consumers continue that operation's trace.
/// </summary>
public sealed record TracedEvent(IIntegrationEvent Event, ActivityContext Origin);
