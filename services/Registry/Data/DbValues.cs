using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Registry.Data;

/// <summary>Conversions between database values and Protobuf ones.</summary>
internal static class DbValues
{
    public static Timestamp ToTimestamp(DateTime utc) =>
        Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    public static DateTime ToUtc(Timestamp timestamp) => timestamp.ToDateTime();

    public static Timestamp FromMilliseconds(long milliseconds) =>
        Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));

    public static long ToMilliseconds(Timestamp timestamp) =>
        timestamp.Seconds * 1000 + timestamp.Nanos / 1_000_000;
}
