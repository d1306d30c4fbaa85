using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Models;

/// <summary>
/// One input of a saved model: its name, whether it is numeric or categorical, its value type as the feature service
/// declares it (<c>double</c>, <c>int64</c>, <c>string</c>, <c>bool</c>) and what the model does when it is missing.
/// Type and default are absent in models saved before they were recorded.
/// </summary>
public sealed record ModelInput(string Name, ColumnKind Kind, string? Type = null, InputDefault? Default = null);
