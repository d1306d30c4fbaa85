namespace CreditRisk.DevBroker.Storage;

/// <summary>Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate).</summary>
internal static class TopicNames
{
    public const int MaxLength = 249;

    public static bool IsValid(string? name, out string error)
    {
        error = "";
        if (string.IsNullOrEmpty(name))
        {
            error = "Topic name is illegal, it can't be empty";
        }
        else if (name is "." or "..")
        {
            error = "Topic name cannot be \".\" or \"..\"";
        }
        else if (name.Length > MaxLength)
        {
            error = $"Topic name is illegal, it can't be longer than {MaxLength} characters";
        }
        else if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            error = $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
        }
        return error.Length == 0;
    }
}
