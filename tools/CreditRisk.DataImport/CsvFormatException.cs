namespace CreditRisk.DataImport;

/// <summary>The file is not credit_data.csv-shaped; the message names the line and the problem.</summary>
public sealed class CsvFormatException(string message) : Exception(message);
