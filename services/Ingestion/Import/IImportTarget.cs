using CreditRisk.Contracts.Ingestion.V1;

namespace CreditRisk.Ingestion.Import;

/// <summary>Where the import sends its events: the running service over gRPC, or the pipeline in-process straight to Kafka.</summary>
public interface IImportTarget : IAsyncDisposable
{
    string Description { get; }

    Task<IReadOnlyList<SubmitResult>> SubmitAsync(IReadOnlyList<SubmitRequest> batch, CancellationToken cancellationToken);
}
