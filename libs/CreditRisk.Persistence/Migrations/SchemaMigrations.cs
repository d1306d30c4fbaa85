using System.Buffers.Binary;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace CreditRisk.Persistence.Migrations;

/// <summary>
/// The ordered migrations of one PostgreSQL schema, the table in that schema that records which are applied
/// (<c>&lt;schema&gt;.schema_migrations</c>, column <c>version</c>), and the advisory lock that serialises replicas
/// migrating it at once. Applied by <see cref="SchemaMigrator"/>. Never edit a shipped migration: add the next one.
/// </summary>
public sealed partial class SchemaMigrations
{
    public SchemaMigrations(string schema, IEnumerable<Migration> migrations, long? lockKey = null)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        if (!Identifier().IsMatch(schema))
        {
            throw new ArgumentException($"'{schema}' is not a lower-case PostgreSQL identifier", nameof(schema));
        }
        var ordered = migrations.ToList();
        if (ordered.Count == 0)
        {
            throw new ArgumentException($"schema {schema} has no migrations", nameof(migrations));
        }
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Number <= ordered[i - 1].Number)
            {
                throw new ArgumentException(
                    $"migrations of {schema} must be in increasing order of number: {ordered[i - 1].Version} comes before {ordered[i].Version}", nameof(migrations));
            }
        }
        Schema = schema;
        All = ordered;
        LockKey = lockKey ?? LockKeyOf(schema);
    }

    public string Schema { get; }

    public IReadOnlyList<Migration> All { get; }

    /// <summary>The session advisory lock taken while migrating: declared, or derived from the schema name.</summary>
    public long LockKey { get; }

    public string VersionTable => $"{Schema}.schema_migrations";

    /// <summary>
    /// The scripts embedded from <paramref name="folder"/> of <paramref name="assembly"/> (e.g. "Persistence/Migrations",
    /// resources "&lt;root namespace&gt;.Persistence.Migrations.NNNN_name.sql"), in number order.
    /// </summary>
    public static SchemaMigrations FromEmbeddedSql(string schema, Assembly assembly, string folder, long? lockKey = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var marker = "." + folder.Trim('/').Replace('/', '.') + ".";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.LastIndexOf(marker, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }
            var file = resource[(at + marker.Length)..];
            var match = FileName().Match(file);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration {resource} is not named NNNN_name.sql (lower-case name)");
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture),
                file[..^".sql".Length], reader.ReadToEnd()));
        }
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException(
                $"{assembly.GetName().Name} embeds no migrations under {folder} (EmbeddedResource Include=\"{folder}/*.sql\")");
        }
        return new SchemaMigrations(schema, migrations.OrderBy(migration => migration.Number), lockKey);
    }

    /// <summary>The same migrations with <paramref name="step"/> run right after migration <paramref name="number"/>, in its transaction.</summary>
    public SchemaMigrations WithStepAfter(int number, Func<NpgsqlConnection, CancellationToken, Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!All.Any(migration => migration.Number == number))
        {
            throw new ArgumentException($"schema {Schema} has no migration {number}", nameof(number));
        }
        return new SchemaMigrations(Schema, All.Select(migration => migration.Number == number ? migration with { After = step } : migration), LockKey);
    }

    /// <summary>A key of PostgreSQL's 64-bit advisory lock space that only this schema's migrations use.</summary>
    public static long LockKeyOf(string schema) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("creditrisk.schema-migrations:" + schema)));

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?<number>[0-9]{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex FileName();
}
