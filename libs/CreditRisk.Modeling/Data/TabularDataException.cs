namespace CreditRisk.Modeling.Data;

/// <summary>Input that cannot be trained on: the message names the file's line, column or label at fault.</summary>
public sealed class TabularDataException(string message) : Exception(message);
