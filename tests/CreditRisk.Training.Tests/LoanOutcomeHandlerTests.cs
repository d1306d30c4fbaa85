using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

/// <summary>Which loan outcomes can be a label, and the reason a record that cannot is dead-lettered with.</summary>
public sealed class LoanOutcomeHandlerTests
{
    private static readonly DateTimeOffset KnownAt = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly EventContext Context = new("creditrisk.loan-outcomes.v1", 0, 0, "C-1", KnownAt.AddMinutes(1), "training", 1);

    public static TheoryData<string, string> BadOutcomes => new()
    {
        { "no event id", "envelope.event_id" },
        { "no application id", "application_id" },
        { "no customer id", "customer_id" },
        { "no outcome", "neither repaid nor defaulted" },
        { "an unknown outcome", "neither repaid nor defaulted" },
        { "no application time", "application_time" },
        { "no event time", "envelope.event_time" },
    };

    private static LoanOutcomeRecorded Broken(string defect)
    {
        var outcome = LoanOutcomes.Recorded("A-1", LoanOutcome.Repaid, KnownAt);
        switch (defect)
        {
            case "no event id": outcome.Envelope.EventId = ""; break;
            case "no application id": outcome.ApplicationId = ""; break;
            case "no customer id": outcome.CustomerId = ""; break;
            case "no outcome": outcome.Outcome = LoanOutcome.Unspecified; break;
            case "an unknown outcome": outcome.Outcome = (LoanOutcome)7; break;
            case "no application time": outcome.ApplicationTime = null; break;
            case "no event time": outcome.Envelope.EventTime = null; break;
            default: throw new ArgumentOutOfRangeException(nameof(defect), defect, null);
        }
        return outcome;
    }

    [Theory]
    [MemberData(nameof(BadOutcomes))]
    public void An_outcome_that_cannot_be_a_label_is_poison_with_a_reason_naming_the_field(string defect, string reasonMentions)
    {
        var poison = Assert.Throws<PoisonEventException>(() => LoanOutcomeHandler.FactOf(Broken(defect), Context));

        Assert.Contains(reasonMentions, poison.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_recorded_time_the_record_time_stands_in()
    {
        var outcome = LoanOutcomes.Recorded("A-1", LoanOutcome.Defaulted, KnownAt);
        outcome.Envelope.RecordedTime = null;

        var fact = LoanOutcomeHandler.FactOf(outcome, Context);

        Assert.Equal(Context.Timestamp, fact.RecordedAt);
        Assert.Equal(KnownAt, fact.KnownAt);
        Assert.Equal(LoanOutcome.Defaulted, fact.Outcome);
    }
}
