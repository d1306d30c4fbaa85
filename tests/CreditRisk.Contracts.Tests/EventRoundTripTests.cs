using CreditRisk.Contracts.Events.V1;
using CreditRisk.Testing.Events;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CreditRisk.Contracts.Tests;

public sealed class EventRoundTripTests
{
    public static TheoryData<string> EventNames => [.. SampleEvents.All.Select(e => e.Descriptor.Name)];

    private static IIntegrationEvent Sample(string name) => SampleEvents.All.Single(e => e.Descriptor.Name == name);

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Event_survives_binary_round_trip_with_its_envelope(string eventName)
    {
        var original = Sample(eventName);

        var bytes = original.ToByteArray();
        var parsed = (IIntegrationEvent)original.Descriptor.Parser.ParseFrom(bytes);

        Assert.Equal(original, parsed);
        Assert.Equal(original.Envelope, parsed.Envelope);
        Assert.False(string.IsNullOrEmpty(parsed.Envelope.EventId));
        Assert.False(string.IsNullOrEmpty(parsed.Envelope.EntityKey));
        Assert.NotNull(parsed.Envelope.EventTime);
        Assert.NotNull(parsed.Envelope.RecordedTime);
        Assert.Equal(1, parsed.Envelope.SchemaVersion);
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Event_survives_json_round_trip(string eventName)
    {
        var original = Sample(eventName);

        var json = JsonFormatter.Default.Format(original);
        var parsed = JsonParser.Default.Parse(json, original.Descriptor);

        Assert.Equal(original, parsed);
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Sample_sets_every_field_so_the_round_trip_covers_it(string eventName)
    {
        var unset = UnsetFields(Sample(eventName), prefix: "").ToList();

        Assert.True(unset.Count == 0, $"{eventName} sample leaves unset: {string.Join(", ", unset)}");
    }

    [Fact]
    public void Every_event_message_in_the_contracts_has_an_envelope_and_a_sample()
    {
        var eventMessages = EventsFiles()
            .SelectMany(file => file.MessageTypes)
            .Where(message => message.FindFieldByName("envelope") is not null)
            .Select(message => message.Name)
            .Order()
            .ToList();

        Assert.Equal(11, eventMessages.Count);
        Assert.Equal(eventMessages, SampleEvents.All.Select(e => e.Descriptor.Name).Order());
        Assert.All(SampleEvents.All, e =>
        {
            var envelope = e.Descriptor.FindFieldByNumber(1);
            Assert.Equal("envelope", envelope.Name);
            Assert.Equal(EventEnvelope.Descriptor, envelope.MessageType);
        });
    }

    [Fact]
    public void Event_names_are_in_the_past_tense()
    {
        Assert.All(SampleEvents.All, e => Assert.Matches("(ed|Submitted)$", e.Descriptor.Name));
    }

    private static IEnumerable<FileDescriptor> EventsFiles() =>
        SampleEvents.All.Select(e => e.Descriptor.File).Distinct()
            .Where(file => file.Package == "creditrisk.events.v1");

    private static IEnumerable<string> UnsetFields(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap || field.IsRepeated)
            {
                if (value is System.Collections.ICollection { Count: 0 })
                {
                    yield return path;
                }
                continue;
            }
            if (field.ContainingOneof is { } oneof && !oneof.IsSynthetic && field.Accessor.HasValue(message) is false)
            {
                continue;   // another member of the oneof is set
            }
            switch (value)
            {
                case null:
                    yield return path;
                    break;
                case IMessage nested:
                    foreach (var unset in UnsetFields(nested, path + "."))
                    {
                        yield return unset;
                    }
                    break;
                default:
                    if (Equals(value, DefaultOf(field)))
                    {
                        yield return path;
                    }
                    break;
            }
        }
    }

    private static object? DefaultOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => "",
        FieldType.Bool => false,
        FieldType.Double => 0d,
        FieldType.Float => 0f,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => 0,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 0L,
        FieldType.UInt32 or FieldType.Fixed32 => 0u,
        FieldType.UInt64 or FieldType.Fixed64 => 0UL,
        FieldType.Bytes => ByteString.Empty,
        FieldType.Enum => 0,
        _ => null,
    };
}
