using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore;
using Npgsql;

namespace CreditRisk.Features.Tests.Support;

/// <summary>Reads what the processor wrote, as comparable text.</summary>
public static class Stores
{
    /// <summary>Every offline row of entities whose id starts with <paramref name="idPrefix"/>, in a stable order.</summary>
    public static async Task<List<string>> OfflineRowsAsync(NpgsqlDataSource database, string idPrefix)
    {
        await using var command = database.CreateCommand("""
            SELECT entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values::text
            FROM feature_store.feature_rows WHERE entity_id LIKE $1 || '%'
            ORDER BY entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = idPrefix });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    public static async Task<long> CountAsync(NpgsqlDataSource database, string sql, string idPrefix)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = idPrefix });
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Offline rows of one view for entities with the prefix.</summary>
    /// <summary>How many records of the raw topics the stored checkpoints cover (their next offsets summed).</summary>
    public static Task<long> CheckpointedRecordsAsync(NpgsqlDataSource database, TestTopics topics) => CountAsync(database,
        "SELECT coalesce(sum(next_offset), 0)::bigint FROM feature_processor.source_offsets WHERE topic = ANY(string_to_array($1, ','))",
        string.Join(',', topics.Raw));

    public static Task<long> OfflineRowCountAsync(NpgsqlDataSource database, string idPrefix) =>
        CountAsync(database, "SELECT count(*) FROM feature_store.feature_rows WHERE entity_id LIKE $1 || '%'", idPrefix);

    /// <summary>The online vector of every (customer, customer view) and (application, application view), as text.</summary>
    public static async Task<List<string>> OnlineRowsAsync(IOnlineStore store, IEnumerable<string> customerIds, IEnumerable<string> applicationIds)
    {
        var rows = new List<string>();
        foreach (var customerId in customerIds.Order(StringComparer.Ordinal))
        {
            foreach (var view in FeatureRegistry.StreamingViews)
            {
                rows.Add(Describe(customerId, view, await store.GetRowAsync(Key(Entities.Customer.Name, customerId), view, TestContext.Current.CancellationToken)));
            }
        }
        foreach (var applicationId in applicationIds.Order(StringComparer.Ordinal))
        {
            var view = FeatureRegistry.ApplicationV1;
            rows.Add(Describe(applicationId, view, await store.GetRowAsync(Key(Entities.Application.Name, applicationId), view, TestContext.Current.CancellationToken)));
        }
        return rows;
    }

    public static EntityKey Key(string entity, string id) => new() { Entity = entity, Id = id };

    public static string Describe(string id, FeatureView view, FeatureRow? row) => row is null
        ? $"{id} {view.QualifiedName}: none"
        : $"{id} {view.QualifiedName} @ {row.EventTime:O} / {row.CreatedTime:O} / {row.EventId}: {Describe(row.Values)}";

    public static string Describe(IReadOnlyDictionary<string, FeatureValue> values) =>
        string.Join(", ", values.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}={entry.Value.Format()}"));
}
