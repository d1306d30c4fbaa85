using System.Collections.Concurrent;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Drift.Service.Telemetry;
using CreditRisk.Modeling.Profiles;
using Grpc.Core;
using Npgsql;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// The reference profile of each model version, as the registry holds it (the artifact named by the version's
/// reference_profile_sha256, verified): fetched once, kept in drift.reference_profiles so a restart needs no registry,
/// and prepared in memory. A version without a usable profile is remembered with the reason.
/// </summary>
public sealed class ReferenceProfiles(
    NpgsqlDataSource database, RegistryService.RegistryServiceClient registry, TimeProvider clock, ILogger<ReferenceProfiles> logger)
{
    private readonly ConcurrentDictionary<(string Model, int Version), ReferenceLookup> _prepared = new();

    /// <summary>Throws <see cref="RpcException"/> when the registry cannot be asked (retried later); never for a missing profile.</summary>
    public async Task<ReferenceLookup> GetAsync(string model, int version, CancellationToken cancellationToken)
    {
        if (_prepared.TryGetValue((model, version), out var known))
        {
            return known;
        }
        var lookup = await LoadStoredAsync(model, version, cancellationToken) ?? await FetchAsync(model, version, cancellationToken);
        _prepared[(model, version)] = lookup;
        return lookup;
    }

    private async Task<ReferenceLookup?> LoadStoredAsync(string model, int version, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT profile, missing_reason FROM drift.reference_profiles WHERE model_name = $1 AND model_version = $2");
        command.Parameters.Add(new() { Value = model });
        command.Parameters.Add(new() { Value = version });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return reader.IsDBNull(0)
            ? ReferenceLookup.Missing(reader.GetString(1))
            : Prepare(model, version, reader.GetFieldValue<byte[]>(0));
    }

    private async Task<ReferenceLookup> FetchAsync(string model, int version, CancellationToken cancellationToken)
    {
        ModelVersion described;
        try
        {
            described = await registry.GetModelVersionAsync(new GetModelVersionRequest { ModelName = model, Version = version }, cancellationToken: cancellationToken);
        }
        catch (RpcException missing) when (missing.StatusCode == StatusCode.NotFound)
        {
            return await StoreMissingAsync(model, version, $"the registry has no version {version} of model '{model}'", cancellationToken);
        }
        if (string.IsNullOrEmpty(described.ReferenceProfileSha256))
        {
            return await StoreMissingAsync(model, version, "the version was registered without a reference profile", cancellationToken);
        }
        byte[] bytes;
        try
        {
            bytes = await registry.DownloadVerifiedAsync(described.RunId, described.ReferenceProfileSha256, cancellationToken);
        }
        catch (ArtifactIntegrityException failed)
        {
            return await StoreMissingAsync(model, version, $"its reference profile cannot be used: {failed.Message}", cancellationToken);
        }
        var lookup = Prepare(model, version, bytes);
        if (lookup.Reference is null)
        {
            return await StoreMissingAsync(model, version, lookup.MissingReason!, cancellationToken);
        }
        await StoreAsync(model, version, described.ReferenceProfileSha256, bytes, null, cancellationToken);
        logger.LogInformation("Reference profile of {Model} v{Version}: {Features} features, {Rows} sample rows", model, version,
            lookup.Reference.Features.Count, lookup.Reference.Size);
        return lookup;
    }

    private ReferenceLookup Prepare(string model, int version, byte[] json)
    {
        try
        {
            return new ReferenceLookup(ReferenceData.From(ReferenceProfile.FromJson(json)), null);
        }
        catch (Exception invalid) when (invalid is InvalidDataException or System.Text.Json.JsonException or NotSupportedException)
        {
            logger.LogWarning(invalid, "The reference profile of {Model} v{Version} is not usable", model, version);
            return ReferenceLookup.Missing($"its reference profile is not readable: {invalid.Message}");
        }
    }

    private async Task<ReferenceLookup> StoreMissingAsync(string model, int version, string reason, CancellationToken cancellationToken)
    {
        DriftTelemetry.VersionsWithoutProfile.Add(1, new KeyValuePair<string, object?>(DriftTelemetry.ModelTag, model));
        logger.LogWarning("{Model} v{Version} has no reference profile, its predictions are counted but not tested: {Reason}", model, version, reason);
        await StoreAsync(model, version, null, null, reason, cancellationToken);
        return ReferenceLookup.Missing(reason);
    }

    private async Task StoreAsync(string model, int version, string? digest, byte[]? profile, string? missingReason, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO drift.reference_profiles (model_name, model_version, digest, profile, missing_reason, fetched_time)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (model_name, model_version) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = model });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = (object?)digest ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)profile ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = (object?)missingReason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = clock.GetUtcNow().UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
