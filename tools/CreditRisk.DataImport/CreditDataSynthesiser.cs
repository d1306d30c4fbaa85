namespace CreditRisk.DataImport;

/// <summary>Rows of a credit_data file → customers with their full event history.</summary>
public sealed class CreditDataSynthesiser(SynthesisSettings settings)
{
    private readonly ApplicationSynthesiser _applications = new(settings);
    private readonly BehaviourGenerator _behaviour = new(settings);

    /// <summary>The customer of <paramref name="row"/>, or null with the reason when the row cannot be an application.</summary>
    public SynthesisedCustomer? Synthesise(CreditDataRow row, out string? problem)
    {
        var application = CreditDataMapper.ToApplication(row, out problem);
        if (application is null)
        {
            return null;
        }
        var (submitted, outcome) = _applications.Synthesise(row, application);
        var applicationTime = submitted.Envelope.EventTime.ToDateTimeOffset();
        return new SynthesisedCustomer(
            row,
            submitted.CustomerId,
            applicationTime,
            submitted,
            outcome,
            _behaviour.Transactions(row, applicationTime),
            _behaviour.Repayments(row, applicationTime));
    }
}
