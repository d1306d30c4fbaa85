using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace CreditRisk.Deploy.Tests;

/// <summary>YAML files as plain maps and lists (anchors and merge keys resolved), one per document.</summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static IReadOnlyList<Dictionary<object, object?>> Documents(string relativePath)
    {
        using var reader = new StreamReader(Repository.PathOf(relativePath));
        var parser = new MergingParser(new Parser(reader));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Deserializer.Deserialize<Dictionary<object, object?>?>(parser) is { } document) documents.Add(document);
        }
        return documents;
    }

    public static Dictionary<object, object?> Document(string relativePath) => Documents(relativePath).Single();

    public static Dictionary<object, object?> Map(this Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is Dictionary<object, object?> child ? child : throw new KeyNotFoundException($"no map '{key}'");

    public static List<object?> List(this Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is List<object?> child ? child : throw new KeyNotFoundException($"no list '{key}'");

    public static string Text(this Dictionary<object, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is string text ? text : throw new KeyNotFoundException($"no text '{key}'");

    public static IEnumerable<Dictionary<object, object?>> Maps(this List<object?> list) => list.OfType<Dictionary<object, object?>>();

    /// <summary>Every (key, scalar) pair anywhere below <paramref name="node"/>, for scans such as "no secret values".</summary>
    public static IEnumerable<(string Key, string Value)> Scalars(object? node, string key = "")
    {
        switch (node)
        {
            case Dictionary<object, object?> map:
                foreach (var (k, v) in map)
                    foreach (var pair in Scalars(v, k.ToString()!)) yield return pair;
                break;
            case List<object?> list:
                foreach (var item in list)
                    foreach (var pair in Scalars(item, key)) yield return pair;
                break;
            case string text:
                yield return (key, text);
                break;
        }
    }
}
