using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Data;
using CreditRisk.Registry.Validation;
using Npgsql;

namespace CreditRisk.Registry.Tracking;

/// <summary>Experiments, runs and what runs log. Every statement is parameterised.</summary>
public sealed class TrackingService(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<Experiment> CreateExperimentAsync(CreateExperimentRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        errors.Required("name", request.Name);
        errors.MaxLength("name", request.Name, TrackingLimits.MaxNameLength);
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().UtcDateTime;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO experiments (name, created_time) VALUES ($1, $2)
            ON CONFLICT (name) DO NOTHING RETURNING experiment_id
            """);
        command.Parameters.Add(new() { Value = request.Name });
        command.Parameters.Add(new() { Value = now });
        var id = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw RegistryException.AlreadyExists($"name: an experiment named '{request.Name}' already exists");
        return new Experiment
        {
            ExperimentId = ((long)id).ToString(CultureInfo.InvariantCulture),
            Name = request.Name,
            CreatedTime = DbValues.ToTimestamp(now),
        };
    }

    public async Task<Experiment> GetExperimentByNameAsync(GetExperimentByNameRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        errors.Required("name", request.Name);
        errors.ThrowIfAny();

        await using var command = dataSource.CreateCommand("SELECT experiment_id, name, created_time FROM experiments WHERE name = $1");
        command.Parameters.Add(new() { Value = request.Name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw RegistryException.NotFound($"no experiment named '{request.Name}'");
        }
        return new Experiment
        {
            ExperimentId = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
            Name = reader.GetString(1),
            CreatedTime = DbValues.ToTimestamp(reader.GetDateTime(2)),
        };
    }

    public async Task<Run> CreateRunAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var experimentId = ParseExperimentId("experiment_id", request.ExperimentId, errors);
        errors.MaxLength("name", request.Name, TrackingLimits.MaxNameLength);
        ValidateTags(request.Tags, errors);
        errors.ThrowIfAny();

        var runId = Guid.CreateVersion7();
        var startTime = request.StartTime?.ToDateTime() ?? clock.GetUtcNow().UtcDateTime;
        var name = string.IsNullOrWhiteSpace(request.Name) ? $"run-{runId.ToString("N")[^8..]}" : request.Name;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO runs (run_id, experiment_id, name, status, start_time)
            SELECT $1, experiment_id, $3, $4, $5 FROM experiments WHERE experiment_id = $2
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = runId });
            insert.Parameters.Add(new() { Value = experimentId });
            insert.Parameters.Add(new() { Value = name });
            insert.Parameters.Add(new() { Value = (short)RunStatus.Running });
            insert.Parameters.Add(new() { Value = startTime });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw RegistryException.NotFound($"experiment_id: no experiment {experimentId}");
            }
        }
        await UpsertTagsAsync(connection, transaction, runId, request.Tags, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await LoadRunAsync(connection, runId, cancellationToken);
    }

    public async Task<Run> GetRunAsync(GetRunRequest request, CancellationToken cancellationToken)
    {
        var runId = RegistryFields.RequireRunId(request.RunId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LoadRunAsync(connection, runId, cancellationToken);
    }

    public async Task<Run> UpdateRunAsync(UpdateRunRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var runId = RegistryFields.ParseRunId("run_id", request.RunId, errors);
        if (request.Status != RunStatus.Unspecified && !RunStatusRules.IsKnown(request.Status))
        {
            errors.Add("status", "unknown status");
        }
        errors.MaxLength("name", request.Name, TrackingLimits.MaxNameLength);
        errors.ThrowIfAny();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (status, deleted) = await LockRunAsync(connection, transaction, runId, cancellationToken);
        if (deleted)
        {
            throw RegistryException.FailedPrecondition($"run_id: run {runId} is deleted; restore it first");
        }
        var newStatus = request.Status == RunStatus.Unspecified ? status : request.Status;
        if (RunStatusRules.IsTerminal(status) && newStatus == RunStatus.Running)
        {
            throw RegistryException.FailedPrecondition($"status: run {runId} has ended ({status}) and cannot run again");
        }
        DateTime? endTime = request.EndTime?.ToDateTime();
        if (endTime is null && RunStatusRules.IsTerminal(newStatus) && !RunStatusRules.IsTerminal(status))
        {
            endTime = clock.GetUtcNow().UtcDateTime;
        }

        await using (var update = new NpgsqlCommand("""
            UPDATE runs SET status = $2,
                            end_time = COALESCE($3, end_time),
                            name = COALESCE($4, name)
            WHERE run_id = $1
            """, connection, transaction))
        {
            update.Parameters.Add(new() { Value = runId });
            update.Parameters.Add(new() { Value = (short)newStatus });
            update.Parameters.Add(new NpgsqlParameter<DateTime?> { TypedValue = endTime, DataTypeName = "timestamptz" });
            update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name, DataTypeName = "text" });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return await LoadRunAsync(connection, runId, cancellationToken);
    }

    public Task<Run> DeleteRunAsync(DeleteRunRequest request, CancellationToken cancellationToken) =>
        SetDeletedAsync(RegistryFields.RequireRunId(request.RunId), deleted: true, cancellationToken);

    public Task<Run> RestoreRunAsync(RestoreRunRequest request, CancellationToken cancellationToken) =>
        SetDeletedAsync(RegistryFields.RequireRunId(request.RunId), deleted: false, cancellationToken);

    private async Task<Run> SetDeletedAsync(Guid runId, bool deleted, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Deleting twice keeps the first deletion time; restoring a live run changes nothing.
        await using (var update = new NpgsqlCommand("UPDATE runs SET deleted_time = CASE WHEN $2 THEN COALESCE(deleted_time, $3) END WHERE run_id = $1", connection))
        {
            update.Parameters.Add(new() { Value = runId });
            update.Parameters.Add(new() { Value = deleted });
            update.Parameters.Add(new() { Value = clock.GetUtcNow().UtcDateTime });
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw RegistryException.NotFound($"run_id: no run {runId}");
            }
        }
        return await LoadRunAsync(connection, runId, cancellationToken);
    }

    public async Task LogBatchAsync(LogBatchRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var runId = RegistryFields.ParseRunId("run_id", request.RunId, errors);
        if (request.Metrics.Count > TrackingLimits.MaxMetricsPerBatch)
        {
            errors.Add("metrics", $"at most {TrackingLimits.MaxMetricsPerBatch} per call (got {request.Metrics.Count}); split the batch");
        }
        if (request.Params.Count > TrackingLimits.MaxParamsPerBatch)
        {
            errors.Add("params", $"at most {TrackingLimits.MaxParamsPerBatch} per call (got {request.Params.Count}); split the batch");
        }
        if (request.Tags.Count > TrackingLimits.MaxTagsPerBatch)
        {
            errors.Add("tags", $"at most {TrackingLimits.MaxTagsPerBatch} per call (got {request.Tags.Count}); split the batch");
        }
        for (var i = 0; i < request.Metrics.Count; i++)
        {
            if (!RegistryFields.KeyPattern().IsMatch(request.Metrics[i].Key))
            {
                errors.Add($"metrics[{i}].key", "1-250 characters of letters, digits, '_', '-', '.', ' ', '/'");
            }
        }
        foreach (var (key, value) in request.Params)
        {
            if (!RegistryFields.KeyPattern().IsMatch(key))
            {
                errors.Add($"params[{key}]", "key must be 1-250 characters of letters, digits, '_', '-', '.', ' ', '/'");
            }
            errors.MaxLength($"params[{key}]", value, TrackingLimits.MaxParamValueLength);
        }
        ValidateTags(request.Tags, errors);
        errors.ThrowIfAny();

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);

        if (request.Params.Count > 0)
        {
            await InsertParamsAsync(connection, transaction, runId, request.Params, cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        if (request.Tags.Count > 0)
        {
            batch.BatchCommands.Add(UpsertTagsCommand(runId, request.Tags));
        }
        if (request.Metrics.Count > 0)
        {
            var count = request.Metrics.Count;
            var keys = new string[count];
            var values = new double[count];
            var timestamps = new long[count];
            var steps = new long[count];
            for (var i = 0; i < count; i++)
            {
                var metric = request.Metrics[i];
                keys[i] = metric.Key;
                values[i] = metric.Value;
                timestamps[i] = metric.Timestamp is null ? now : DbValues.ToMilliseconds(metric.Timestamp);
                steps[i] = metric.Step;
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO metrics (run_id, key, value, timestamp_ms, step)
                SELECT $1, m.key, m.value, m.ts, m.step FROM unnest($2::text[], $3::float8[], $4::int8[], $5::int8[]) AS m(key, value, ts, step)
                """)
            {
                Parameters = { new() { Value = runId }, new() { Value = keys }, new() { Value = values }, new() { Value = timestamps }, new() { Value = steps } },
            });
            // Latest per key: the highest (step, timestamp, value), as MLflow orders them.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO latest_metrics AS l (run_id, key, value, timestamp_ms, step)
                SELECT DISTINCT ON (m.key) $1, m.key, m.value, m.ts, m.step
                FROM unnest($2::text[], $3::float8[], $4::int8[], $5::int8[]) AS m(key, value, ts, step)
                ORDER BY m.key, m.step DESC, m.ts DESC, m.value DESC
                ON CONFLICT (run_id, key) DO UPDATE
                    SET value = excluded.value, timestamp_ms = excluded.timestamp_ms, step = excluded.step
                    WHERE (excluded.step, excluded.timestamp_ms, excluded.value) > (l.step, l.timestamp_ms, l.value)
                """)
            {
                Parameters = { new() { Value = runId }, new() { Value = keys }, new() { Value = values }, new() { Value = timestamps }, new() { Value = steps } },
            });
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task LogInputsAsync(LogInputsRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var runId = RegistryFields.ParseRunId("run_id", request.RunId, errors);
        if (request.Inputs.Count == 0)
        {
            errors.Add("inputs", "at least one");
        }
        if (request.Inputs.Count > TrackingLimits.MaxInputsPerCall)
        {
            errors.Add("inputs", $"at most {TrackingLimits.MaxInputsPerCall} per call");
        }
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            errors.Required($"inputs[{i}].name", input.Name);
            errors.MaxLength($"inputs[{i}].name", input.Name, TrackingLimits.MaxNameLength);
            errors.Required($"inputs[{i}].digest", input.Digest);
            errors.MaxLength($"inputs[{i}].digest", input.Digest, 256);
            errors.MaxLength($"inputs[{i}].feature_service", input.FeatureService, TrackingLimits.MaxNameLength);
            if (input.RowCount < 0)
            {
                errors.Add($"inputs[{i}].row_count", "must be >= 0");
            }
            if (input.StartTime is not null && input.EndTime is not null && input.StartTime.ToDateTime() > input.EndTime.ToDateTime())
            {
                errors.Add($"inputs[{i}].end_time", "must not be before start_time");
            }
        }
        errors.ThrowIfAny();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await RequireActiveRunAsync(connection, transaction, runId, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var input in request.Inputs)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO run_inputs (run_id, name, digest, feature_service, feature_service_version, row_count, start_time, end_time)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id, name, digest) DO NOTHING
                """)
            {
                Parameters =
                {
                    new() { Value = runId }, new() { Value = input.Name }, new() { Value = input.Digest },
                    new() { Value = input.FeatureService }, new() { Value = input.FeatureServiceVersion }, new() { Value = input.RowCount },
                    new NpgsqlParameter<DateTime?> { TypedValue = input.StartTime?.ToDateTime(), DataTypeName = "timestamptz" },
                    new NpgsqlParameter<DateTime?> { TypedValue = input.EndTime?.ToDateTime(), DataTypeName = "timestamptz" },
                },
            });
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<GetMetricHistoryResponse> GetMetricHistoryAsync(GetMetricHistoryRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var runId = RegistryFields.ParseRunId("run_id", request.RunId, errors);
        errors.Required("key", request.Key);
        errors.ThrowIfAny();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireRunExistsAsync(connection, runId, cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT key, value, timestamp_ms, step FROM metrics
            WHERE run_id = $1 AND key = $2 ORDER BY step, timestamp_ms, seq
            """, connection);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = request.Key });
        var response = new GetMetricHistoryResponse();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            response.Metrics.Add(new Metric
            {
                Key = reader.GetString(0),
                Value = reader.GetDouble(1),
                Timestamp = DbValues.FromMilliseconds(reader.GetInt64(2)),
                Step = reader.GetInt64(3),
            });
        }
        return response;
    }

    /// <summary>Loads one run with everything it logged; NOT_FOUND if there is none.</summary>
    internal static async Task<Run> LoadRunAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken)
    {
        Run run;
        await using (var command = new NpgsqlCommand($"SELECT {RunReader.RunColumns} FROM runs r WHERE r.run_id = $1", connection))
        {
            command.Parameters.Add(new() { Value = runId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw RegistryException.NotFound($"run_id: no run {runId}");
            }
            run = RunReader.ReadRunRow(reader);
        }
        await RunReader.FillDetailsAsync(connection, new Dictionary<Guid, Run> { [runId] = run }, cancellationToken);
        return run;
    }

    private static async Task<(RunStatus Status, bool Deleted)> LockRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT status, deleted_time IS NOT NULL FROM runs WHERE run_id = $1 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new() { Value = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw RegistryException.NotFound($"run_id: no run {runId}");
        }
        return ((RunStatus)reader.GetInt16(0), reader.GetBoolean(1));
    }

    /// <summary>Logging to a deleted run is refused; the share lock keeps it from being deleted meanwhile.</summary>
    private static async Task RequireActiveRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT deleted_time IS NOT NULL FROM runs WHERE run_id = $1 FOR SHARE", connection, transaction);
        command.Parameters.Add(new() { Value = runId });
        var deleted = await command.ExecuteScalarAsync(cancellationToken);
        if (deleted is null)
        {
            throw RegistryException.NotFound($"run_id: no run {runId}");
        }
        if ((bool)deleted)
        {
            throw RegistryException.FailedPrecondition($"run_id: run {runId} is deleted; restore it before logging to it");
        }
    }

    private static async Task RequireRunExistsAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM runs WHERE run_id = $1", connection);
        command.Parameters.Add(new() { Value = runId });
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw RegistryException.NotFound($"run_id: no run {runId}");
        }
    }

    /// <summary>Params are immutable: the same value again is fine, a different one is refused (and nothing of the batch is kept).</summary>
    private static async Task InsertParamsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId,
        IDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var keys = parameters.Keys.ToArray();
        var values = keys.Select(key => parameters[key]).ToArray();
        // Two statements, not one: under READ COMMITTED the check then sees a concurrent writer's committed value.
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO params (run_id, key, value) SELECT $1, p.key, p.value FROM unnest($2::text[], $3::text[]) AS p(key, value)
            ON CONFLICT (run_id, key) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = runId });
            insert.Parameters.Add(new() { Value = keys });
            insert.Parameters.Add(new() { Value = values });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        var errors = new FieldViolations();
        await using (var check = new NpgsqlCommand("""
            SELECT p.key, p.value, n.value FROM params p JOIN unnest($2::text[], $3::text[]) AS n(key, value) ON n.key = p.key
            WHERE p.run_id = $1 AND p.value <> n.value ORDER BY p.key
            """, connection, transaction))
        {
            check.Parameters.Add(new() { Value = runId });
            check.Parameters.Add(new() { Value = keys });
            check.Parameters.Add(new() { Value = values });
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                errors.Add($"params[{reader.GetString(0)}]",
                    $"already logged as '{reader.GetString(1)}'; params are immutable and cannot change to '{reader.GetString(2)}'");
            }
        }
        errors.ThrowIfAny();
    }

    private static async Task UpsertTagsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId,
        IDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return;
        }
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { UpsertTagsCommand(runId, tags) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand UpsertTagsCommand(Guid runId, IDictionary<string, string> tags)
    {
        var keys = tags.Keys.ToArray();
        var values = keys.Select(key => tags[key]).ToArray();
        return new NpgsqlBatchCommand("""
            INSERT INTO tags (run_id, key, value) SELECT $1, t.key, t.value FROM unnest($2::text[], $3::text[]) AS t(key, value)
            ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value
            """)
        {
            Parameters = { new() { Value = runId }, new() { Value = keys }, new() { Value = values } },
        };
    }

    private static void ValidateTags(IDictionary<string, string> tags, FieldViolations errors)
    {
        foreach (var (key, value) in tags)
        {
            if (!RegistryFields.KeyPattern().IsMatch(key))
            {
                errors.Add($"tags[{key}]", "key must be 1-250 characters of letters, digits, '_', '-', '.', ' ', '/'");
            }
            errors.MaxLength($"tags[{key}]", value, TrackingLimits.MaxTagValueLength);
        }
    }

    internal static long ParseExperimentId(string field, string? value, FieldViolations errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "required");
            return 0;
        }
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            errors.Add(field, $"'{value}' is not an experiment id");
        }
        return id;
    }
}
