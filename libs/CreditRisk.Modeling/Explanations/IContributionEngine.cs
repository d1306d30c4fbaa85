using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Explanations;

/// <summary>One thread's way to score a row and find each feature slot's contribution; not thread-safe.</summary>
internal interface IContributionEngine : IDisposable
{
    /// <summary>
    /// Scores <paramref name="row"/> and adds each feature slot's contribution, in the model's score units, to
    /// <paramref name="sums"/> at the slot's input (<paramref name="slotInputs"/>).
    /// </summary>
    (float Probability, float Score) Run(ModelInputRow row, int[] slotInputs, double[] sums);
}
