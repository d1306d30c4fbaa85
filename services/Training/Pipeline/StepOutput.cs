namespace CreditRisk.Training.Pipeline;

/// <summary>
/// What a step produced: small named values (row counts, metrics, the registered version) and named blobs (the
/// training set, the model, the report), each blob held in the run's blob store under its SHA-256.
/// </summary>
public sealed record StepOutput(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Blobs)
{
    public static StepOutput Empty { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    public string Value(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The step output has no value '{name}'.");

    public string Blob(string name) =>
        Blobs.TryGetValue(name, out var digest) ? digest : throw new KeyNotFoundException($"The step output has no blob '{name}'.");
}
