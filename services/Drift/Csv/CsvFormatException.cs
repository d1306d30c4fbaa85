namespace CreditRisk.Drift.Service.Csv;

/// <summary>A file that cannot be read as the compare command expects; the message names the file and, where known, the line or column.</summary>
public sealed class CsvFormatException(string message) : Exception(message);
