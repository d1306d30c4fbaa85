using CreditRisk.Contracts.Events.V1;
using CreditRisk.Features.Processing;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Features.Tests;

public sealed class EnvelopePeekTests
{
    [Theory]
    [InlineData("2026-03-01T12:00:00.1234567Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("1969-07-20T20:17:40.5Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void It_reads_the_event_time_protobuf_would(string time)
    {
        var eventTime = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);
        var @event = Transaction(Timestamp.FromDateTimeOffset(eventTime));

        Assert.Equal(eventTime, EnvelopePeek.EventTime(@event.ToByteArray()));
        Assert.Equal(TransactionRecorded.Parser.ParseFrom(@event.ToByteArray()).Envelope.EventTime.ToDateTimeOffset(), EnvelopePeek.EventTime(@event.ToByteArray()));
    }

    [Fact]
    public void A_later_occurrence_of_the_envelope_merges_over_an_earlier_one()
    {
        var first = Transaction(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).ToByteArray();
        var second = new TransactionRecorded { Envelope = new EventEnvelope { EventTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)) } }.ToByteArray();
        var both = first.Concat(second).ToArray();

        Assert.Equal(TransactionRecorded.Parser.ParseFrom(both).Envelope.EventTime.ToDateTimeOffset(), EnvelopePeek.EventTime(both));
    }

    [Fact]
    public void What_is_not_an_event_with_a_valid_time_gives_null()
    {
        var valid = Transaction(Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(1))).ToByteArray();

        Assert.Null(EnvelopePeek.EventTime(null));
        Assert.Null(EnvelopePeek.EventTime([]));
        Assert.Null(EnvelopePeek.EventTime("not protobuf at all"u8.ToArray()));
        Assert.Null(EnvelopePeek.EventTime(valid[..^3]));   // truncated
        Assert.Null(EnvelopePeek.EventTime(new TransactionRecorded { Envelope = new EventEnvelope { EventId = "no-time" } }.ToByteArray()));
        Assert.Null(EnvelopePeek.EventTime(Transaction(new Timestamp { Seconds = 253_402_300_800 }).ToByteArray()));
        Assert.Null(EnvelopePeek.EventTime(Transaction(new Timestamp { Seconds = 1, Nanos = -1 }).ToByteArray()));
    }

    private static TransactionRecorded Transaction(Timestamp eventTime) => new()
    {
        Envelope = new EventEnvelope { EventId = "e1", EntityKey = "c1", EventTime = eventTime, RecordedTime = eventTime, Source = "test", SchemaVersion = 1 },
        TransactionId = "t1",
        CustomerId = "c1",
        Amount = 12.5,
        Currency = "EUR",
    };
}
