namespace CreditRisk.Training.Tests.Support;

/// <summary>The settings of a training host running the test pipeline for one test model.</summary>
public static class PipelineSettings
{
    public const string FeatureService = "test_features";

    /// <summary>
    /// <paramref name="model"/> configured with the test steps' parameters, short leases, fast retries and polls, then
    /// <paramref name="overrides"/>.
    /// </summary>
    public static Dictionary<string, string?> For(string model, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"Training:Models:{model}:FeatureService"] = FeatureService,
            [$"Training:Models:{model}:FeatureServiceVersion"] = "3",
            [$"Training:Models:{model}:Parameters:seed"] = "1",
            [$"Training:Models:{model}:Parameters:source"] = "default",
            [$"Training:Models:{model}:Parameters:transient"] = "none",
            [$"Training:Models:{model}:Parameters:permanent"] = "none",
            [$"Training:Models:{model}:Parameters:block"] = "none",
            ["Training:Pipeline:LeaseDuration"] = "00:00:03",
            ["Training:Pipeline:PollInterval"] = "00:00:00.200",
            ["Training:Pipeline:RetryDelay"] = "00:00:00.050",
            ["Training:Pipeline:MaxRetryDelay"] = "00:00:00.200",
        };
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }
        return settings;
    }

    /// <summary>The same as environment variables of a separate process ("Training__Pipeline__LeaseDuration").</summary>
    public static Dictionary<string, string> AsEnvironment(IReadOnlyDictionary<string, string?> settings) =>
        settings.Where(setting => setting.Value is not null).ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);
}
