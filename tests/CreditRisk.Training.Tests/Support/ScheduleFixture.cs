namespace CreditRisk.Training.Tests.Support;

/// <summary>A <see cref="PipelineFixture"/> whose hosts start a run of each model every two seconds.</summary>
public sealed class ScheduleFixture : PipelineFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Training:Schedule:Interval"] = "00:00:02",
    };
}
