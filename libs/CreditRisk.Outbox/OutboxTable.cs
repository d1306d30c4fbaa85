using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CreditRisk.Outbox;

/// <summary>
/// An outbox table: its qualified name, the DDL a service's migration runs to create it, and the advisory lock its
/// relay holds, derived from the name so services sharing a database relay independently.
/// </summary>
public sealed partial class OutboxTable
{
    /// <param name="relayLockId">The relay's lock for a table whose relays predate the library (they used a constant); null derives it.</param>
    public OutboxTable(string qualifiedName, long? relayLockId = null)
    {
        if (!QualifiedName().IsMatch(qualifiedName))
        {
            throw new ArgumentException($"'{qualifiedName}' is not a schema-qualified table name (schema.table)", nameof(qualifiedName));
        }
        Name = qualifiedName;
        RelayLockId = relayLockId ?? BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("outbox-relay:" + qualifiedName)), 0);
    }

    public string Name { get; }

    public long RelayLockId { get; }

    /// <summary>
    /// The table's columns as the writer and relay use them, and the partial index the relay's scan of pending rows
    /// uses (for a service's first migration; idempotent). The registry's 0002 migration created the same by hand.
    /// </summary>
    public static string CreateSql(string qualifiedName)
    {
        var table = new OutboxTable(qualifiedName);
        return $"""
        CREATE TABLE IF NOT EXISTS {table.Name} (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id     uuid        NOT NULL UNIQUE,
            event_type   text        NOT NULL,
            topic        text        NOT NULL,
            entity_key   text        NOT NULL,
            payload      bytea       NOT NULL,
            created_time timestamptz NOT NULL,
            relayed_time timestamptz
        );
        CREATE INDEX IF NOT EXISTS {table.Name[(table.Name.IndexOf('.') + 1)..]}_pending ON {table.Name} (id) WHERE relayed_time IS NULL;
        """;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$")]
    private static partial Regex QualifiedName();
}
