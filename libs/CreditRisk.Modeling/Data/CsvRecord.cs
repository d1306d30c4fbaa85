namespace CreditRisk.Modeling.Data;

/// <summary>One CSV record: its fields (unquoted) and the line it starts on, for error messages.</summary>
public sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields);
