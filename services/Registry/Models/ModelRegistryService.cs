using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Data;
using CreditRisk.Outbox;
using CreditRisk.Registry.Validation;
using Npgsql;

namespace CreditRisk.Registry.Models;

/// <summary>
/// Registered models, their versions and aliases. Every change that others must hear about writes its
/// event to the outbox in the same transaction; alias moves of one model are serialised by a row lock
/// on the model, so concurrent promotions form one chain in the audit history.
/// </summary>
public sealed class ModelRegistryService(NpgsqlDataSource dataSource, OutboxWriter outbox, OutboxSignal outboxSignal, TimeProvider clock)
{
    public const string EventSource = "registry";

    public async Task<RegisteredModel> CreateRegisteredModelAsync(CreateRegisteredModelRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.Name, errors);
        errors.MaxLength("description", request.Description, 5000);
        errors.ThrowIfAny();

        await using var command = dataSource.CreateCommand("""
            INSERT INTO registered_models (name, description, created_time) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = request.Name });
        command.Parameters.Add(new() { Value = request.Description });
        command.Parameters.Add(new() { Value = clock.GetUtcNow().UtcDateTime });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw RegistryException.AlreadyExists($"name: a model named '{request.Name}' already exists");
        }
        return await GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = request.Name }, cancellationToken);
    }

    public async Task<RegisteredModel> GetRegisteredModelAsync(GetRegisteredModelRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.Name, errors);
        errors.ThrowIfAny();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT name, description, latest_version, created_time FROM registered_models WHERE name = $1")
                    { Parameters = { new() { Value = request.Name } } },
                new NpgsqlBatchCommand("SELECT alias, version FROM model_aliases WHERE model_name = $1 ORDER BY alias")
                    { Parameters = { new() { Value = request.Name } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw RegistryException.NotFound($"name: no model named '{request.Name}'");
        }
        var model = new RegisteredModel
        {
            Name = reader.GetString(0),
            Description = reader.GetString(1),
            LatestVersion = reader.GetInt32(2),
            CreatedTime = DbValues.ToTimestamp(reader.GetDateTime(3)),
        };
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            model.Aliases[reader.GetString(0)] = reader.GetInt32(1);
        }
        return model;
    }

    public async Task<ModelVersion> CreateModelVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.ModelName, errors, "model_name");
        var runId = RegistryFields.ParseRunId("run_id", request.RunId, errors);
        errors.Required("feature_service", request.FeatureService);
        errors.MaxLength("feature_service", request.FeatureService, 500);
        if (request.FeatureServiceVersion < 0)
        {
            errors.Add("feature_service_version", "must be >= 0");
        }
        if (!RegistryFields.Sha256Pattern().IsMatch(request.ArtifactSha256 ?? ""))
        {
            errors.Add("artifact_sha256", "required: the SHA-256 (64 lower-case hex) of the model artifact uploaded to the run");
        }
        if (!string.IsNullOrEmpty(request.ReferenceProfileSha256) && !RegistryFields.Sha256Pattern().IsMatch(request.ReferenceProfileSha256))
        {
            errors.Add("reference_profile_sha256", "64 lower-case hex characters");
        }
        for (var i = 0; i < request.InputSchema.Count; i++)
        {
            errors.Required($"input_schema[{i}].name", request.InputSchema[i].Name);
            errors.Required($"input_schema[{i}].type", request.InputSchema[i].Type);
        }
        if (request.InputSchema.Select(field => field.Name).Distinct(StringComparer.Ordinal).Count() != request.InputSchema.Count)
        {
            errors.Add("input_schema", "feature names must be unique");
        }
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var ensure = new NpgsqlCommand("""
            INSERT INTO registered_models (name, created_time) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING
            """, connection, transaction))
        {
            ensure.Parameters.Add(new() { Value = request.ModelName });
            ensure.Parameters.Add(new() { Value = now });
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }
        var version = await LockModelAsync(connection, transaction, request.ModelName, cancellationToken) + 1;

        // The run must exist and be live, and the artifacts must be ones the registry stored.
        await using (var check = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT deleted_time IS NOT NULL FROM runs WHERE run_id = $1") { Parameters = { new() { Value = runId } } },
                new NpgsqlBatchCommand("SELECT EXISTS (SELECT 1 FROM artifacts WHERE run_id = $1 AND sha256 = $2)")
                    { Parameters = { new() { Value = runId }, new() { Value = request.ArtifactSha256! } } },
                new NpgsqlBatchCommand("SELECT $1 = '' OR EXISTS (SELECT 1 FROM artifacts WHERE sha256 = $1)")
                    { Parameters = { new() { Value = request.ReferenceProfileSha256 ?? "" } } },
                new NpgsqlBatchCommand("SELECT key, value FROM latest_metrics WHERE run_id = $1 ORDER BY key") { Parameters = { new() { Value = runId } } },
            },
        })
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw RegistryException.NotFound($"run_id: no run {runId}");
            }
            if (reader.GetBoolean(0))
            {
                throw RegistryException.FailedPrecondition($"run_id: run {runId} is deleted");
            }
            var preconditions = new FieldViolations();
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.GetBoolean(0))
            {
                preconditions.Add("artifact_sha256", $"run {runId} has no artifact with this digest; upload it first");
            }
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.GetBoolean(0))
            {
                preconditions.Add("reference_profile_sha256", "no artifact with this digest; upload it first");
            }
            await reader.NextResultAsync(cancellationToken);
            if (request.Metrics.Count == 0)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    request.Metrics[reader.GetString(0)] = reader.GetDouble(1);
                }
            }
            if (!preconditions.IsEmpty)
            {
                throw RegistryException.FailedPrecondition(preconditions.ToString());
            }
        }

        var registered = new ModelVersionRegistered
        {
            Envelope = EventEnvelopeFactory.Create(request.ModelName, new DateTimeOffset(now), EventSource, clock),
            ModelName = request.ModelName,
            Version = version,
            RunId = runId.ToString(),
            FeatureService = request.FeatureService,
            FeatureServiceVersion = request.FeatureServiceVersion,
            ArtifactDigest = request.ArtifactSha256,
            ReferenceProfileDigest = request.ReferenceProfileSha256 ?? "",
        };
        registered.Metrics.Add(request.Metrics);

        var metricKeys = request.Metrics.Keys.Order(StringComparer.Ordinal).ToArray();
        await using (var insert = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO model_versions (model_name, version, run_id, feature_service, feature_service_version,
                        input_schema_names, input_schema_types, artifact_sha256, reference_profile_sha256,
                        metric_keys, metric_values, created_time, event_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = request.ModelName }, new() { Value = version }, new() { Value = runId },
                        new() { Value = request.FeatureService }, new() { Value = request.FeatureServiceVersion },
                        new() { Value = request.InputSchema.Select(field => field.Name).ToArray() },
                        new() { Value = request.InputSchema.Select(field => field.Type).ToArray() },
                        new() { Value = request.ArtifactSha256! }, new() { Value = request.ReferenceProfileSha256 ?? "" },
                        new() { Value = metricKeys }, new() { Value = metricKeys.Select(key => request.Metrics[key]).ToArray() },
                        new() { Value = now }, new() { Value = Guid.Parse(registered.Envelope.EventId) },
                    },
                },
                new NpgsqlBatchCommand("UPDATE registered_models SET latest_version = $2 WHERE name = $1")
                    { Parameters = { new() { Value = request.ModelName }, new() { Value = version } } },
            },
        })
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await outbox.EnqueueAsync(connection, transaction, registered, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();

        return await LoadVersionAsync(connection, request.ModelName, version, cancellationToken);
    }

    public async Task<ModelVersion> GetModelVersionAsync(GetModelVersionRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.ModelName, errors, "model_name");
        if (request.Version <= 0)
        {
            errors.Add("version", "must be > 0");
        }
        errors.ThrowIfAny();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LoadVersionAsync(connection, request.ModelName, request.Version, cancellationToken);
    }

    public async Task<ModelVersion> GetModelVersionByAliasAsync(GetModelVersionByAliasRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.ModelName, errors, "model_name");
        ValidateAlias(request.Alias, errors);
        errors.ThrowIfAny();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT version FROM model_aliases WHERE model_name = $1 AND alias = $2", connection);
        command.Parameters.Add(new() { Value = request.ModelName });
        command.Parameters.Add(new() { Value = request.Alias });
        var version = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw RegistryException.NotFound($"alias: model '{request.ModelName}' has no alias '{request.Alias}'");
        return await LoadVersionAsync(connection, request.ModelName, (int)version, cancellationToken);
    }

    /// <summary>
    /// Points an alias at a version: a promotion, or a rollback when the alias held that version before.
    /// Moving it where it already is changes nothing and emits nothing (a retried call is harmless).
    /// </summary>
    public async Task<AliasMove> SetAliasAsync(SetAliasRequest request, string actor, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.ModelName, errors, "model_name");
        ValidateAlias(request.Alias, errors);
        if (request.Version <= 0)
        {
            errors.Add("version", "must be > 0");
        }
        errors.MaxLength("reason", request.Reason, 2000);
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockModelAsync(connection, transaction, request.ModelName, cancellationToken);

        string artifactDigest;
        int fromVersion;
        bool heldBefore;
        await using (var read = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT artifact_sha256 FROM model_versions WHERE model_name = $1 AND version = $2")
                    { Parameters = { new() { Value = request.ModelName }, new() { Value = request.Version } } },
                new NpgsqlBatchCommand("SELECT COALESCE((SELECT version FROM model_aliases WHERE model_name = $1 AND alias = $2), 0)")
                    { Parameters = { new() { Value = request.ModelName }, new() { Value = request.Alias } } },
                new NpgsqlBatchCommand("SELECT EXISTS (SELECT 1 FROM alias_moves WHERE model_name = $1 AND alias = $2 AND to_version = $3)")
                    { Parameters = { new() { Value = request.ModelName }, new() { Value = request.Alias }, new() { Value = request.Version } } },
            },
        })
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw RegistryException.NotFound($"version: model '{request.ModelName}' has no version {request.Version}");
            }
            artifactDigest = reader.GetString(0);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            fromVersion = reader.GetInt32(0);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            heldBefore = reader.GetBoolean(0);
        }

        if (fromVersion == request.Version)
        {
            await transaction.CommitAsync(cancellationToken);
            return new AliasMove
            {
                ModelName = request.ModelName, Alias = request.Alias, FromVersion = fromVersion, ToVersion = fromVersion,
                Actor = actor, Reason = request.Reason, MovedTime = DbValues.ToTimestamp(now),
            };
        }

        var promoted = new ModelVersionPromoted
        {
            Envelope = EventEnvelopeFactory.Create(request.ModelName, new DateTimeOffset(now), EventSource, clock),
            ModelName = request.ModelName,
            Alias = request.Alias,
            FromVersion = fromVersion,
            ToVersion = request.Version,
            Actor = actor,
            Reason = request.Reason,
            IsRollback = heldBefore,
            ArtifactDigest = artifactDigest,
        };
        await using (var write = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    INSERT INTO model_aliases (model_name, alias, version, updated_time) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version, updated_time = excluded.updated_time
                    """)
                {
                    Parameters = { new() { Value = request.ModelName }, new() { Value = request.Alias }, new() { Value = request.Version }, new() { Value = now } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO alias_moves (model_name, alias, from_version, to_version, actor, reason, moved_time, is_rollback, event_id)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """)
                {
                    Parameters =
                    {
                        new() { Value = request.ModelName }, new() { Value = request.Alias }, new() { Value = fromVersion },
                        new() { Value = request.Version }, new() { Value = actor }, new() { Value = request.Reason },
                        new() { Value = now }, new() { Value = heldBefore }, new() { Value = Guid.Parse(promoted.Envelope.EventId) },
                    },
                },
            },
        })
        {
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await outbox.EnqueueAsync(connection, transaction, promoted, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();

        return new AliasMove
        {
            ModelName = request.ModelName,
            Alias = request.Alias,
            FromVersion = fromVersion,
            ToVersion = request.Version,
            Actor = actor,
            Reason = request.Reason,
            MovedTime = DbValues.ToTimestamp(now),
            IsRollback = heldBefore,
            EventId = promoted.Envelope.EventId,
        };
    }

    public async Task<ListAliasHistoryResponse> ListAliasHistoryAsync(ListAliasHistoryRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        ValidateModelName(request.ModelName, errors, "model_name");
        if (!string.IsNullOrEmpty(request.Alias))
        {
            ValidateAlias(request.Alias, errors);
        }
        errors.ThrowIfAny();

        await using var command = dataSource.CreateCommand("""
            SELECT alias, from_version, to_version, actor, reason, moved_time, is_rollback, event_id
            FROM alias_moves WHERE model_name = $1 AND ($2 = '' OR alias = $2) ORDER BY move_id
            """);
        command.Parameters.Add(new() { Value = request.ModelName });
        command.Parameters.Add(new() { Value = request.Alias ?? "" });
        var response = new ListAliasHistoryResponse();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            response.Moves.Add(new AliasMove
            {
                ModelName = request.ModelName,
                Alias = reader.GetString(0),
                FromVersion = reader.GetInt32(1),
                ToVersion = reader.GetInt32(2),
                Actor = reader.GetString(3),
                Reason = reader.GetString(4),
                MovedTime = DbValues.ToTimestamp(reader.GetDateTime(5)),
                IsRollback = reader.GetBoolean(6),
                EventId = reader.GetGuid(7).ToString(),
            });
        }
        return response;
    }

    /// <summary>Locks the model row (serialising versions and alias moves of the model); returns its latest version.</summary>
    internal static async Task<int> LockModelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT latest_version FROM registered_models WHERE name = $1 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new() { Value = modelName });
        return (int?)await command.ExecuteScalarAsync(cancellationToken)
            ?? throw RegistryException.NotFound($"model_name: no model named '{modelName}'");
    }

    private static async Task<ModelVersion> LoadVersionAsync(NpgsqlConnection connection, string modelName, int version, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    SELECT run_id, feature_service, feature_service_version, input_schema_names, input_schema_types,
                           artifact_sha256, reference_profile_sha256, metric_keys, metric_values, created_time
                    FROM model_versions WHERE model_name = $1 AND version = $2
                    """) { Parameters = { new() { Value = modelName }, new() { Value = version } } },
                new NpgsqlBatchCommand("SELECT alias FROM model_aliases WHERE model_name = $1 AND version = $2 ORDER BY alias")
                    { Parameters = { new() { Value = modelName }, new() { Value = version } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw RegistryException.NotFound($"version: model '{modelName}' has no version {version}");
        }
        var result = new ModelVersion
        {
            ModelName = modelName,
            Version = version,
            RunId = reader.GetGuid(0).ToString(),
            FeatureService = reader.GetString(1),
            FeatureServiceVersion = reader.GetInt32(2),
            ArtifactSha256 = reader.GetString(5),
            ReferenceProfileSha256 = reader.GetString(6),
            CreatedTime = DbValues.ToTimestamp(reader.GetDateTime(9)),
        };
        var names = reader.GetFieldValue<string[]>(3);
        var types = reader.GetFieldValue<string[]>(4);
        for (var i = 0; i < names.Length; i++)
        {
            result.InputSchema.Add(new SchemaField { Name = names[i], Type = types[i] });
        }
        var keys = reader.GetFieldValue<string[]>(7);
        var values = reader.GetFieldValue<double[]>(8);
        for (var i = 0; i < keys.Length; i++)
        {
            result.Metrics[keys[i]] = values[i];
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Aliases.Add(reader.GetString(0));
        }
        return result;
    }

    internal static void ValidateModelName(string? name, FieldViolations errors, string field = "name")
    {
        if (!RegistryFields.ModelNamePattern().IsMatch(name ?? ""))
        {
            errors.Add(field, "1-255 characters of letters, digits, '_', '-', '.'");
        }
    }

    internal static void ValidateAlias(string? alias, FieldViolations errors, string field = "alias")
    {
        if (!RegistryFields.AliasPattern().IsMatch(alias ?? ""))
        {
            errors.Add(field, "1-255 characters of [A-Za-z0-9_-]");
        }
    }
}
