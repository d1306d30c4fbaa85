namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// A <see cref="PipelineFixture"/> whose first host serves the API without executing runs, so that a test decides
/// which replicas execute them by starting worker hosts; leases are long, so only a release or a stopped heartbeat
/// hands a run over quickly.
/// </summary>
public sealed class ReplicaFixture : PipelineFixture
{
    public static readonly IReadOnlyDictionary<string, string?> Worker = new Dictionary<string, string?> { ["Training:Pipeline:WorkerEnabled"] = "true" };

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Training:Pipeline:WorkerEnabled"] = "false",
        ["Training:Pipeline:LeaseDuration"] = "00:10:00",
    };

    /// <summary>A replica that executes runs, with <paramref name="settings"/> over the fixture's.</summary>
    public Task<Testing.Hosting.ServiceHost<Labels.LabelStore>> StartWorkerAsync(params (string Name, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>(Worker);
        foreach (var (name, value) in settings)
        {
            overrides[name] = value;
        }
        return StartHostAsync(overrides);
    }
}
