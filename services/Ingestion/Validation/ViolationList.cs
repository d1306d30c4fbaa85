using CreditRisk.Contracts.Ingestion.V1;

namespace CreditRisk.Ingestion.Validation;

/// <summary>Collects every bad field of one request, so the caller can fix them all in one go.</summary>
public sealed class ViolationList
{
    private readonly List<FieldViolation> _violations = [];

    public IReadOnlyList<FieldViolation> Items => _violations;

    public bool IsEmpty => _violations.Count == 0;

    public void Add(string field, string description) =>
        _violations.Add(new FieldViolation { Field = field, Description = description });

    /// <summary>"a.b: must be > 0; c: required": the detail of an INVALID_ARGUMENT status.</summary>
    public static string Describe(IEnumerable<FieldViolation> violations) =>
        string.Join("; ", violations.Select(violation => $"{violation.Field}: {violation.Description}"));
}
