using CreditRisk.Messaging;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>Wakes the window closer after predictions or outcomes were recorded, instead of waiting for its next sweep.</summary>
public sealed class WindowSignal : WakeSignal;
