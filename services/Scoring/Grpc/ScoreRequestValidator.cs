using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Contracts.Validation;

namespace CreditRisk.Scoring.Grpc;

/// <summary>Every bad field of a score request, with the application rules ingestion applies too (<see cref="LoanApplicationRules"/>).</summary>
public static class ScoreRequestValidator
{
    /// <summary>Adds each violation with its path under <paramref name="prefix"/> ("" for a single request, "requests[3]." in a batch).</summary>
    public static FieldViolations Validate(ScoreRequest request, string prefix = "", FieldViolations? violations = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        violations ??= new FieldViolations();
        IdentifierRules.Validate(request.RequestId, $"{prefix}request_id", violations);
        IdentifierRules.Validate(request.ApplicationId, $"{prefix}application_id", violations);
        IdentifierRules.Validate(request.CustomerId, $"{prefix}customer_id", violations);
        LoanApplicationRules.Validate(request.Application, $"{prefix}application", violations);
        if (!string.IsNullOrEmpty(request.ModelName))
        {
            IdentifierRules.Validate(request.ModelName, $"{prefix}model_name", violations);
        }
        return violations;
    }
}
