namespace CreditRisk.FeatureStore;

/// <summary>
/// Names one feature of one view: "view:feature" (latest version of the view) or "view@2:feature" (pinned).
/// Resolved references (from <see cref="FeatureRegistry.Resolve(FeatureSelection)"/>) always carry the version.
/// </summary>
public sealed record FeatureReference(string View, string Feature, int? ViewVersion = null)
{
    public static FeatureReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == reference.Length - 1)
        {
            throw new FormatException($"'{reference}' is not a feature reference (\"view:feature\" or \"view@version:feature\").");
        }
        var view = reference[..colon];
        var feature = reference[(colon + 1)..];
        int? version = null;
        var at = view.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!int.TryParse(view.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
            {
                throw new FormatException($"'{reference}' has a bad view version.");
            }
            version = parsed;
            view = view[..at];
        }
        return new FeatureReference(view, feature, version);
    }

    /// <summary>"view:feature" or "view@version:feature" when pinned.</summary>
    public override string ToString() => ViewVersion is { } version ? $"{View}@{version}:{Feature}" : $"{View}:{Feature}";
}
