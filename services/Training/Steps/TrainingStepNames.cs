namespace CreditRisk.Training.Steps;

/// <summary>The steps of a training pipeline run, in order.</summary>
public static class TrainingStepNames
{
    public const string BuildTrainingSet = "build_training_set";
    public const string Validate = "validate";
    public const string Train = "train";
    public const string Evaluate = "evaluate";
    public const string Register = "register";
    public const string Promote = "promote";

    public static IReadOnlyList<string> InOrder { get; } = [BuildTrainingSet, Validate, Train, Evaluate, Register, Promote];
}
