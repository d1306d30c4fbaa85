using System.Text.Json;

namespace CreditRisk.DevBroker.Storage;

/// <summary>The topic.json file in each topic folder: what cannot be derived from the segments.</summary>
internal sealed record TopicMetadataFile(string Name, Guid TopicId, int Partitions, Dictionary<string, string> Configs)
{
    public const string FileName = "topic.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static TopicMetadataFile? Load(string topicDirectory)
    {
        var path = Path.Combine(topicDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<TopicMetadataFile>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Writes atomically (temp file + rename): the file's presence marks a completely created topic.</summary>
    public void Save(string topicDirectory)
    {
        var path = Path.Combine(topicDirectory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
