using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Models;

/// <summary>One input of a saved model: its name and whether it is numeric or categorical.</summary>
public sealed record ModelInput(string Name, ColumnKind Kind);
