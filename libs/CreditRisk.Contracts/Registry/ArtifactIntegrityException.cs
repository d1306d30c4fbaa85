namespace CreditRisk.Contracts.Registry.V1;

/// <summary>A run holds no artifact with the expected digest (<see cref="Missing"/>), or its bytes hash to another.</summary>
public sealed class ArtifactIntegrityException(string message, bool missing) : Exception(message)
{
    public bool Missing { get; } = missing;
}
