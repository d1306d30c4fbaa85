namespace CreditRisk.Training.Triggers;

/// <summary>The schedule trigger (configuration section <c>Training:Schedule</c>).</summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Training:Schedule";

    /// <summary>Slot length: each slot (aligned on the Unix epoch) starts one run per configured model. Unset: no schedule.</summary>
    public TimeSpan? Interval { get; set; }
}
