using CreditRisk.Contracts.Training.V1;
using CreditRisk.Training.Pipeline;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.StaticFiles;

namespace CreditRisk.Training.Api;

/// <summary>Runs and steps as the API's messages.</summary>
internal static class RunMessages
{
    // The IANA types where the provider's table has legacy ones; parquet for training sets.
    private static readonly FileExtensionContentTypeProvider ContentTypes = new(new Dictionary<string, string>(
        new FileExtensionContentTypeProvider().Mappings, StringComparer.OrdinalIgnoreCase)
    {
        [".zip"] = "application/zip",
        [".parquet"] = "application/vnd.apache.parquet",
    });

    public static string ContentTypeOf(string blobName) =>
        ContentTypes.TryGetContentType(blobName, out var contentType) ? contentType : "application/octet-stream";

    public static string BlobPath(Guid runId, string step, string blobName) =>
        $"/api/training/runs/{runId}/blobs/{Uri.EscapeDataString(step)}/{Uri.EscapeDataString(blobName)}";

    public static PipelineRun ToMessage(PipelineRunRecord run)
    {
        var definition = run.Definition;
        var message = new PipelineRun
        {
            RunId = run.RunId.ToString(),
            ModelName = definition.ModelName,
            FeatureService = definition.FeatureService,
            FeatureServiceVersion = definition.FeatureServiceVersion,
            Cutoff = Timestamp.FromDateTimeOffset(definition.Cutoff),
            Trigger = definition.Trigger,
            RequestId = run.RequestId,
            DriftReportId = definition.DriftReportId ?? "",
            CacheEnabled = run.CacheEnabled,
            Status = StatusOf(run.Status),
            FailureReason = run.FailureReason ?? "",
            CancelRequested = run.CancelRequested,
            CreatedTime = Timestamp.FromDateTimeOffset(run.CreatedAt),
            StartedTime = TimestampOf(run.StartedAt),
            FinishedTime = TimestampOf(run.FinishedAt),
        };
        Copy(definition.Parameters, message.Parameters);
        return message;
    }

    public static PipelineRun ToMessage(PipelineRunDetails details)
    {
        var message = ToMessage(details.Run);
        var logs = details.Logs.ToLookup(line => line.StepName, StringComparer.Ordinal);
        foreach (var step in details.Steps)
        {
            var stepMessage = new PipelineStep
            {
                Name = step.Name,
                Ordinal = step.Ordinal,
                Status = StepStatusOf(step.Status),
                Attempts = step.Attempts,
                StartedTime = TimestampOf(step.StartedAt),
                FinishedTime = TimestampOf(step.FinishedAt),
                Duration = step.DurationMs is { } ms ? Duration.FromTimeSpan(TimeSpan.FromMilliseconds(ms)) : null,
                CacheHit = step.Status == StepStatuses.Cached,
                CachedFromRunId = step.CachedFrom?.ToString() ?? "",
                CacheKey = step.CacheKey ?? "",
                OutputDigest = step.OutputDigest ?? "",
                Error = step.Error ?? "",
            };
            if (step.Output is { } output)
            {
                Copy(output.Values, stepMessage.OutputValues);
                foreach (var (name, digest) in output.Blobs.OrderBy(blob => blob.Key, StringComparer.Ordinal))
                {
                    stepMessage.OutputBlobs.Add(new StepBlob
                    {
                        Name = name,
                        Sha256 = digest,
                        SizeBytes = details.BlobSizes.GetValueOrDefault(digest),
                        ContentType = ContentTypeOf(name),
                        Path = BlobPath(details.Run.RunId, step.Name, name),
                    });
                }
            }
            stepMessage.Logs.Add(logs[step.Name].Select(line => new StepLogLine
            {
                Time = Timestamp.FromDateTimeOffset(line.LoggedAt),
                Message = line.Message,
            }));
            message.Steps.Add(stepMessage);
        }
        return message;
    }

    public static PipelineRunStatus StatusOf(string status) => status switch
    {
        RunStatuses.Queued => PipelineRunStatus.Queued,
        RunStatuses.Running => PipelineRunStatus.Running,
        RunStatuses.Succeeded => PipelineRunStatus.Succeeded,
        RunStatuses.Failed => PipelineRunStatus.Failed,
        RunStatuses.Cancelled => PipelineRunStatus.Cancelled,
        _ => PipelineRunStatus.Unspecified,
    };

    public static string? StatusName(PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Queued => RunStatuses.Queued,
        PipelineRunStatus.Running => RunStatuses.Running,
        PipelineRunStatus.Succeeded => RunStatuses.Succeeded,
        PipelineRunStatus.Failed => RunStatuses.Failed,
        PipelineRunStatus.Cancelled => RunStatuses.Cancelled,
        _ => null,
    };

    public static PipelineStepStatus StepStatusOf(string status) => status switch
    {
        StepStatuses.Pending => PipelineStepStatus.Pending,
        StepStatuses.Running => PipelineStepStatus.Running,
        StepStatuses.Succeeded => PipelineStepStatus.Succeeded,
        StepStatuses.Failed => PipelineStepStatus.Failed,
        StepStatuses.Cached => PipelineStepStatus.Cached,
        _ => PipelineStepStatus.Unspecified,
    };

    private static void Copy(IReadOnlyDictionary<string, string> from, Google.Protobuf.Collections.MapField<string, string> to)
    {
        foreach (var (name, value) in from)
        {
            to[name] = value;
        }
    }

    private static Timestamp? TimestampOf(DateTimeOffset? value) => value is { } time ? Timestamp.FromDateTimeOffset(time) : null;
}
