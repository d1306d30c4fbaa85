using CreditRisk.Contracts.Events.V1;
using Google.Protobuf;

namespace CreditRisk.Features.Processing;

/// <summary>Reads just the envelope's event time of a raw record (field 1 of every event), without parsing the rest.</summary>
public static class EnvelopePeek
{
    /// <summary>The event time, or null when the value is not a readable event (the decoder will dead-letter it).</summary>
    public static DateTimeOffset? EventTime(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }
        try
        {
            var input = new CodedInputStream(value);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (tag == 10)   // field 1, length-delimited
                {
                    var envelope = new EventEnvelope();
                    input.ReadMessage(envelope);
                    return envelope.EventTime?.ToDateTimeOffset();
                }
                input.SkipLastField();
            }
            return null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
