using CreditRisk.Contracts.Events.V1;
using Google.Protobuf;

namespace CreditRisk.FeatureStore;

/// <summary>
/// Writes FeatureVectorUpdated in Protobuf binary with one <c>Feature</c> (name and value; the event time is the
/// envelope's) per value of a row, straight from the row's store encoding (<see cref="VectorCodec"/>, whose name and
/// value segments are Protobuf's already). It parses to the same message as adding a <c>Feature</c> object per value
/// and serialising that, without the objects, the sizes computed twice and the names transcoded for every event.
/// </summary>
public static class FeatureVectorUpdatedEncoder
{
    private const byte FeaturesTag = 0x2A;       // FeatureVectorUpdated.features: field 5, length-delimited
    private const byte NameTag = 0x0A;           // Feature.name: field 1
    private const byte ValueTag = 0x12;          // Feature.value: field 2

    /// <summary><paramref name="header"/> (every field but <c>features</c>, which must be empty), then the row's features.</summary>
    public static byte[] Encode(FeatureVectorUpdated header, FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(row);
        if (header.Features.Count > 0)
        {
            throw new ArgumentException("The header must not carry features: they come from the row.", nameof(header));
        }
        var eventTimeMicros = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.EventTime));
        ReadOnlySpan<byte> vector = VectorCodec.Encode(eventTimeMicros, row.Values);

        // Sized first, then written into one exact array.
        var headerLength = header.CalculateSize();
        var size = headerLength;
        foreach (var (nameField, valueField) in VectorCodec.Segments(vector))
        {
            var featureLength = FeatureLength(nameField, valueField);
            size += 1 + CodedOutputStream.ComputeLengthSize(featureLength) + featureLength;
        }
        var message = new byte[size];
        var output = message.AsSpan();
        header.WriteTo(output[..headerLength]);
        var offset = headerLength;
        foreach (var (nameField, valueField) in VectorCodec.Segments(vector))
        {
            output[offset++] = FeaturesTag;
            VectorCodec.WriteVarint(output, ref offset, (ulong)FeatureLength(nameField, valueField));
            output[offset++] = NameTag;
            nameField.CopyTo(output[offset..]);
            offset += nameField.Length;
            output[offset++] = ValueTag;
            valueField.CopyTo(output[offset..]);
            offset += valueField.Length;
        }
        return message;
    }

    // The fields carry their own length prefixes, as Protobuf's length-delimited fields do.
    private static int FeatureLength(ReadOnlySpan<byte> nameField, ReadOnlySpan<byte> valueField) =>
        1 + nameField.Length + 1 + valueField.Length;
}
