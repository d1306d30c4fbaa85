using System.Collections.Concurrent;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Rpc;
using Google.Protobuf.WellKnownTypes;
using Proto = CreditRisk.Contracts.Features.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// Conversions between the retrieval API's protobuf messages (creditrisk.features.v1) and the library's types, so
/// every host of the API maps them the same way. Selection and row conversions collect field violations instead of
/// throwing, for one INVALID_ARGUMENT naming each bad field.
/// </summary>
public static class FeatureContractMapping
{
    /// <summary>Resolves a proto selection; on failure returns null and adds violations of fields under <paramref name="field"/>.</summary>
    public static IReadOnlyList<ResolvedFeature>? Resolve(Proto.FeatureSelection? selection, FieldViolations violations, string field = "selection")
    {
        // Serving asks for the same few selections over and over: parse, validate and resolve each once.
        var cacheKey = ResolutionCacheKey.For(selection);
        if (cacheKey is { } lookup && ResolutionCache.TryGetValue(lookup, out var cached))
        {
            return cached;
        }
        var resolved = ResolveUncached(selection, violations, field);
        if (cacheKey is { } key && resolved is not null)
        {
            if (ResolutionCache.Count >= ResolutionCacheCapacity)
            {
                ResolutionCache.Clear();
            }
            ResolutionCache[key.Detached()] = resolved;
        }
        return resolved;
    }

    private const int ResolutionCacheCapacity = 1_024;

    // The registry is fixed at build time, so a resolution never goes stale.
    private static readonly ConcurrentDictionary<ResolutionCacheKey, IReadOnlyList<ResolvedFeature>> ResolutionCache = new();

    /// <summary>
    /// A selection by value: the service name and version, or the reference list compared element by element. A
    /// lookup wraps the request's own list (no copy); the stored key holds a copy.
    /// </summary>
    private readonly struct ResolutionCacheKey(string? service, int version, IReadOnlyList<string>? references) : IEquatable<ResolutionCacheKey>
    {
        private string? Service { get; } = service;

        private int Version { get; } = version;

        private IReadOnlyList<string>? References { get; } = references;

        public static ResolutionCacheKey? For(Proto.FeatureSelection? selection) => selection?.SelectionCase switch
        {
            Proto.FeatureSelection.SelectionOneofCase.FeatureService => new ResolutionCacheKey(selection.FeatureService.Name, selection.FeatureService.Version, null),
            Proto.FeatureSelection.SelectionOneofCase.Features => new ResolutionCacheKey(null, 0, selection.Features.References),
            _ => null,
        };

        public ResolutionCacheKey Detached() => new(Service, Version, References?.ToArray());

        public bool Equals(ResolutionCacheKey other)
        {
            if (Service != other.Service || Version != other.Version || (References is null) != (other.References is null))
            {
                return false;
            }
            if (References is null || other.References is null)
            {
                return true;
            }
            if (References.Count != other.References.Count)
            {
                return false;
            }
            for (var i = 0; i < References.Count; i++)
            {
                if (!string.Equals(References[i], other.References[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is ResolutionCacheKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Service, StringComparer.Ordinal);
            hash.Add(Version);
            if (References is not null)
            {
                foreach (var reference in References)
                {
                    hash.Add(reference, StringComparer.Ordinal);
                }
            }
            return hash.ToHashCode();
        }
    }

    private static IReadOnlyList<ResolvedFeature>? ResolveUncached(Proto.FeatureSelection? selection, FieldViolations violations, string field)
    {
        var mapped = ToSelection(selection, violations, field);
        if (mapped is null)
        {
            return null;
        }
        var found = FeatureRegistry.Validate(mapped);
        if (found.Count > 0)
        {
            foreach (var problem in found)
            {
                violations.Add(field, problem);
            }
            return null;
        }
        return FeatureRegistry.Resolve(mapped);
    }

    public static FeatureSelection? ToSelection(Proto.FeatureSelection? selection, FieldViolations violations, string field = "selection")
    {
        switch (selection?.SelectionCase)
        {
            case Proto.FeatureSelection.SelectionOneofCase.FeatureService:
                if (string.IsNullOrWhiteSpace(selection.FeatureService.Name))
                {
                    violations.Add($"{field}.feature_service.name", "required");
                    return null;
                }
                if (selection.FeatureService.Version < 0)
                {
                    violations.Add($"{field}.feature_service.version", "must be >= 0 (0 = latest)");
                    return null;
                }
                return FeatureSelection.Service(
                    selection.FeatureService.Name, selection.FeatureService.Version == 0 ? null : selection.FeatureService.Version);
            case Proto.FeatureSelection.SelectionOneofCase.Features:
                var violationsBefore = violations.Count;
                var references = new List<FeatureReference>();
                for (var i = 0; i < selection.Features.References.Count; i++)
                {
                    try
                    {
                        references.Add(FeatureReference.Parse(selection.Features.References[i]));
                    }
                    catch (FormatException exception)
                    {
                        violations.Add($"{field}.features.references[{i}]", exception.Message);
                    }
                }
                if (selection.Features.References.Count == 0)
                {
                    violations.Add($"{field}.features.references", "at least one required");
                }
                return violations.Count == violationsBefore ? FeatureSelection.Features(references) : null;
            default:
                violations.Add(field, "a feature_service or a features list is required");
                return null;
        }
    }

    /// <summary>Entity keys of one row; violations name "<paramref name="field"/>.keys[i].entity" etc.</summary>
    public static EntityRow ToEntityRow(Proto.EntityKeys? keys, FieldViolations violations, string field)
    {
        if (keys is null || keys.Keys.Count == 0)
        {
            violations.Add($"{field}.keys", "at least one entity key required");
            return new EntityRow([]);
        }
        for (var i = 0; i < keys.Keys.Count; i++)
        {
            if (string.IsNullOrEmpty(keys.Keys[i].Entity))
            {
                violations.Add($"{field}.keys[{i}].entity", "required");
            }
            if (string.IsNullOrEmpty(keys.Keys[i].Id))
            {
                violations.Add($"{field}.keys[{i}].id", "required");
            }
        }
        return new EntityRow(keys.Keys.ToArray());
    }

    /// <summary>One historical entity row; violations name "<paramref name="field"/>.keys..." and "<paramref name="field"/>.timestamp".</summary>
    public static HistoricalEntityRow ToHistoricalEntityRow(Proto.EntityRow row, FieldViolations violations, string field)
    {
        var entities = ToEntityRow(row.Keys, violations, field);
        if (row.Timestamp is null)
        {
            violations.Add($"{field}.timestamp", "required");
        }
        return new HistoricalEntityRow(entities, row.Timestamp?.ToDateTimeOffset() ?? default, row.RowId);
    }

    public static Proto.EntityKeys ToProto(EntityRow row) => new() { Keys = { row.Keys } };

    public static Proto.OnlineFeatureRow ToProto(OnlineFeatureVector vector) => new()
    {
        Keys = { vector.Row.Keys },
        Features = { vector.Features },
    };

    public static Proto.HistoricalFeatureRow ToProto(HistoricalFeatureRow row) => new()
    {
        RowNumber = row.RowNumber,
        EntityRow = new Proto.EntityRow
        {
            Keys = ToProto(row.EntityRow.Entities),
            Timestamp = Timestamp.FromDateTimeOffset(row.EntityRow.Timestamp),
            RowId = row.EntityRow.RowId,
        },
        Values = { row.Features.Select(feature => feature.Value ?? new FeatureValue()) },
        // Repeated fields hold no nulls: a value without a candidate gets a default (unset-looking) timestamp.
        EventTimes = { row.Features.Select(feature => feature.EventTime ?? new Timestamp()) },
    };

    /// <summary>The whole registry as the ListFeatureDefinitions answer.</summary>
    public static Proto.ListFeatureDefinitionsResponse DescribeRegistry() => new()
    {
        FeatureViews = { FeatureRegistry.Views.Select(Describe) },
        FeatureServices =
        {
            FeatureRegistry.Services.Select(service => new Proto.FeatureServiceDefinition
            {
                Name = service.Name,
                Version = service.Version,
                Features = { service.Features.Select(reference => FeatureRegistry.Pin(reference).ToString()) },
                Description = service.Description,
            }),
        },
    };

    public static Proto.FeatureViewDefinition Describe(FeatureView view)
    {
        var definition = new Proto.FeatureViewDefinition
        {
            Name = view.Name,
            Version = view.Version,
            Entity = view.Entity.Name,
            JoinKey = view.Entity.JoinKey,
            SourceEvent = view.Source.ToString(),
            Fingerprint = view.Fingerprint,
            Description = view.Description,
        };
        if (view.Ttl is { } ttl)
        {
            definition.Ttl = Duration.FromTimeSpan(ttl);
        }
        foreach (var feature in view.Features)
        {
            var described = new Proto.FeatureDefinition
            {
                Name = feature.Name,
                ValueType = feature.ValueType.ToString().ToLowerInvariant(),
                Aggregation = SnakeCase(feature.Aggregation.ToString()),
                Description = feature.Description,
            };
            if (feature.Window is { } window)
            {
                described.Window = Duration.FromTimeSpan(window);
            }
            definition.Features.Add(described);
        }
        return definition;
    }

    private static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((character, index) =>
            char.IsUpper(character) ? (index > 0 ? "_" : "") + char.ToLowerInvariant(character) : character.ToString()));
}
