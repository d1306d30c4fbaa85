using System.Buffers.Binary;
using System.Numerics;

namespace CreditRisk.DevBroker.Storage;

/// <summary>CRC-32C (Castagnoli), the checksum of record batch v2; hardware accelerated where available.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            // The CRC32C instruction consumes bytes in little-endian order.
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}
