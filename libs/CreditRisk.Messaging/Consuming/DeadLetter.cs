namespace CreditRisk.Messaging.Consuming;

/// <summary>Why a record is dead-lettered.</summary>
/// <param name="Attempts">Handler attempts made (0 when the record could not even be deserialised).</param>
public sealed record DeadLetter(string Reason, string ExceptionType, string ConsumerGroup, int Attempts)
{
    public static DeadLetter From(Exception exception, string consumerGroup, int attempts) =>
        new(exception.Message, exception.GetType().FullName ?? exception.GetType().Name, consumerGroup, attempts);
}
