using System.Text.Json;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Data;
using CreditRisk.Registry.Models;
using CreditRisk.Outbox;
using CreditRisk.Registry.Validation;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Registry.Serving;

/// <summary>
/// How scoring serves each model: its arms (alias or pinned version, traffic weight, shadow). A change is serialised by
/// the model's row lock, kept in the audit history and emitted as <see cref="ServingExperimentChanged"/> through the
/// outbox in the same transaction, so every scoring replica hears of exactly the changes that committed.
/// </summary>
public sealed class ServingExperimentService(NpgsqlDataSource dataSource, OutboxWriter outbox, OutboxSignal outboxSignal, TimeProvider clock)
{
    public const string DefaultArm = "champion";

    public async Task<ServingExperiment> SetAsync(SetServingExperimentRequest request, string actor, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ModelRegistryService.ValidateModelName(request.ModelName, errors, "model_name");
        ServingArmRules.Validate(request.Arms, errors);
        errors.MaxLength("reason", request.Reason, 2000);
        if (request.ExpectedRevision < 0)
        {
            errors.Add("expected_revision", "must be >= 0");
        }
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ModelRegistryService.LockModelAsync(connection, transaction, request.ModelName, cancellationToken);
        await RequireVersionsAsync(connection, transaction, request, cancellationToken);

        var current = await ReadCurrentAsync(connection, transaction, request.ModelName, cancellationToken);
        if (request.ExpectedRevision > 0 && request.ExpectedRevision != current.Revision)
        {
            throw RegistryException.FailedPrecondition(
                $"expected_revision: the experiment of '{request.ModelName}' is at revision {current.Revision}, not {request.ExpectedRevision}");
        }
        // Setting what is already set changes nothing and emits nothing: a retried call is harmless.
        if (current.Revision > 0 && ArmsJson(current.Arms) == ArmsJson(request.Arms))
        {
            await transaction.CommitAsync(cancellationToken);
            return current;
        }

        var changed = new ServingExperimentChanged
        {
            Envelope = EventEnvelopeFactory.Create(request.ModelName, new DateTimeOffset(now), ModelRegistryService.EventSource, clock),
            ModelName = request.ModelName,
            Revision = current.Revision + 1,
            Arms = { request.Arms },
            Actor = actor,
            Reason = request.Reason,
        };
        var arms = ArmsJson(request.Arms);
        await using (var write = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("""
                    INSERT INTO serving_experiments (model_name, revision, arms, actor, reason, changed_time, event_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (model_name) DO UPDATE SET revision = excluded.revision, arms = excluded.arms, actor = excluded.actor,
                        reason = excluded.reason, changed_time = excluded.changed_time, event_id = excluded.event_id
                    """, ChangeParameters(changed, arms, now)),
                Command("""
                    INSERT INTO serving_experiment_changes (model_name, revision, arms, actor, reason, changed_time, event_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """, ChangeParameters(changed, arms, now)),
            },
        })
        {
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await outbox.EnqueueAsync(connection, transaction, changed, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();

        return new ServingExperiment
        {
            ModelName = request.ModelName,
            Revision = changed.Revision,
            Arms = { request.Arms },
            Actor = actor,
            Reason = request.Reason,
            ChangedTime = DbValues.ToTimestamp(now),
            EventId = changed.Envelope.EventId,
        };
    }

    public async Task<ServingExperiment> GetAsync(GetServingExperimentRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ModelRegistryService.ValidateModelName(request.ModelName, errors, "model_name");
        errors.ThrowIfAny();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, request.ModelName, cancellationToken);
        return await ReadCurrentAsync(connection, null, request.ModelName, cancellationToken);
    }

    public async Task<ListServingExperimentHistoryResponse> ListHistoryAsync(ListServingExperimentHistoryRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ModelRegistryService.ValidateModelName(request.ModelName, errors, "model_name");
        errors.ThrowIfAny();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, request.ModelName, cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT revision, arms::text, actor, reason, changed_time, event_id
            FROM serving_experiment_changes WHERE model_name = $1 ORDER BY revision
            """, connection);
        command.Parameters.Add(new() { Value = request.ModelName });
        var response = new ListServingExperimentHistoryResponse();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            response.Changes.Add(Read(reader, request.ModelName));
        }
        return response;
    }

    /// <summary>The experiment a model has when none was declared: everything to the champion.</summary>
    public static ServingExperiment Default(string modelName) => new()
    {
        ModelName = modelName,
        Arms = { new ServingArm { Name = DefaultArm, Alias = DefaultArm, Weight = 1 } },
    };

    private static async Task<ServingExperiment> ReadCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string modelName,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT revision, arms::text, actor, reason, changed_time, event_id FROM serving_experiments WHERE model_name = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = modelName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, modelName) : Default(modelName);
    }

    private static ServingExperiment Read(NpgsqlDataReader reader, string modelName)
    {
        var experiment = new ServingExperiment
        {
            ModelName = modelName,
            Revision = reader.GetInt64(0),
            Actor = reader.GetString(2),
            Reason = reader.GetString(3),
            ChangedTime = DbValues.ToTimestamp(reader.GetDateTime(4)),
            EventId = reader.GetGuid(5).ToString(),
        };
        using var arms = JsonDocument.Parse(reader.GetString(1));
        foreach (var arm in arms.RootElement.EnumerateArray())
        {
            experiment.Arms.Add(JsonParser.Default.Parse<ServingArm>(arm.GetRawText()));
        }
        return experiment;
    }

    private static async Task RequireModelAsync(NpgsqlConnection connection, string modelName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM registered_models WHERE name = $1)", connection);
        command.Parameters.Add(new() { Value = modelName });
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            throw RegistryException.NotFound($"model_name: no model named '{modelName}'");
        }
    }

    /// <summary>A pinned version must exist: serving a version that does not would fail on every replica.</summary>
    private static async Task RequireVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SetServingExperimentRequest request,
        CancellationToken cancellationToken)
    {
        var pinned = request.Arms.Where(arm => arm.TargetCase == ServingArm.TargetOneofCase.Version).Select(arm => arm.Version).Distinct().ToArray();
        if (pinned.Length == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(
            "SELECT version FROM model_versions WHERE model_name = $1 AND version = ANY($2)", connection, transaction);
        command.Parameters.Add(new() { Value = request.ModelName });
        command.Parameters.Add(new() { Value = pinned });
        var existing = new HashSet<int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetInt32(0));
            }
        }
        var errors = new FieldViolations();
        for (var i = 0; i < request.Arms.Count; i++)
        {
            var arm = request.Arms[i];
            if (arm.TargetCase == ServingArm.TargetOneofCase.Version && !existing.Contains(arm.Version))
            {
                errors.Add($"arms[{i}].version", $"model '{request.ModelName}' has no version {arm.Version}");
            }
        }
        errors.ThrowIfAny();
    }

    private static string ArmsJson(IEnumerable<ServingArm> arms) => $"[{string.Join(",", arms.Select(arm => JsonFormatter.Default.Format(arm)))}]";

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter[] ChangeParameters(ServingExperimentChanged changed, string arms, DateTime now) =>
    [
        new() { Value = changed.ModelName },
        new() { Value = changed.Revision },
        new() { Value = arms, NpgsqlDbType = NpgsqlDbType.Jsonb },
        new() { Value = changed.Actor },
        new() { Value = changed.Reason },
        new() { Value = now },
        new() { Value = Guid.Parse(changed.Envelope.EventId) },
    ];
}
