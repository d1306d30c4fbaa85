using System.CommandLine;

namespace CreditRisk.Training.Commands;

/// <summary>The service's commands, run instead of the host when the first argument names one.</summary>
public static class TrainingCommandLine
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == TrainCsvCommand.Name;

    public static RootCommand Create() => new("The CreditRisk training service and its commands.") { TrainCsvCommand.Create() };

    public static Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null) =>
        Create().Parse(args).InvokeAsync(configuration ?? new InvocationConfiguration());
}
