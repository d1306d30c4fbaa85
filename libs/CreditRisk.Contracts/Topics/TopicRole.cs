namespace CreditRisk.Contracts.Topics;

public enum TopicRole
{
    /// <summary>Carries one event type between services.</summary>
    Events,

    /// <summary>Holds records of its source topic that could not be handled, with headers saying why.</summary>
    DeadLetter,
}
