namespace CreditRisk.Modeling.Data;

/// <summary>
/// A table split into a binary label and inferred features: a column is numeric when every non-empty
/// value parses as a number, categorical otherwise; a column with no values at all is left out.
/// </summary>
public sealed class LabelledDataset
{
    private LabelledDataset(
        string labelColumn, string positiveLabel, IReadOnlyList<FeatureColumn> features,
        IReadOnlyList<object?[]> values, IReadOnlyList<bool> labels, IReadOnlyList<string> droppedColumns)
    {
        LabelColumn = labelColumn;
        PositiveLabel = positiveLabel;
        Schema = new ModelInputSchema(features);
        Values = values;
        Labels = labels;
        DroppedColumns = droppedColumns;
        Rows = values.Select((row, i) => Schema.CreateRow(row, labels[i])).ToList();
    }

    public string LabelColumn { get; }

    public string PositiveLabel { get; }

    public ModelInputSchema Schema { get; }

    public IReadOnlyList<FeatureColumn> Features => Schema.Features;

    /// <summary>Each row's feature values in <see cref="Features"/> order (double, string or null).</summary>
    public IReadOnlyList<object?[]> Values { get; }

    public IReadOnlyList<bool> Labels { get; }

    public IReadOnlyList<ModelInputRow> Rows { get; }

    public IReadOnlyList<string> DroppedColumns { get; }

    public int Count => Labels.Count;

    public int PositiveCount => Labels.Count(label => label);

    public static LabelledDataset FromTable(TabularTable table, string labelColumn, string positiveLabel)
    {
        var labelIndex = table.IndexOf(labelColumn)
            ?? throw new TabularDataException(
                $"label column \"{labelColumn}\" is not in the file (columns: {string.Join(", ", table.Columns)})");
        if (table.Rows.Count == 0)
        {
            throw new TabularDataException("the file has a header but no rows");
        }

        var labels = new bool[table.Rows.Count];
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var value = table.Rows[r][labelIndex]?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                throw new TabularDataException($"line {table.LineNumbers[r]}: label column \"{labelColumn}\" is empty");
            }
            labels[r] = string.Equals(value, positiveLabel, StringComparison.Ordinal);
        }
        var positives = labels.Count(label => label);
        if (positives == 0 || positives == labels.Length)
        {
            var which = positives == 0 ? $"no row has \"{positiveLabel}\"" : $"every row has \"{positiveLabel}\"";
            throw new TabularDataException(
                $"label column \"{labelColumn}\" has one class only: {which}; both classes are needed");
        }

        var features = new List<FeatureColumn>();
        var featureIndexes = new List<int>();
        var dropped = new List<string>();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            if (c == labelIndex)
            {
                continue;
            }
            var present = table.Rows.Select(row => row[c]).Where(value => !string.IsNullOrWhiteSpace(value)).ToList();
            if (present.Count == 0)
            {
                dropped.Add(table.Columns[c]);
                continue;
            }
            var kind = present.All(value => NumericParsing.TryParse(value!, out _)) ? ColumnKind.Numeric : ColumnKind.Categorical;
            features.Add(new FeatureColumn(table.Columns[c], kind));
            featureIndexes.Add(c);
        }
        if (features.Count == 0)
        {
            throw new TabularDataException($"the file has no feature column besides the label \"{labelColumn}\"");
        }

        var values = table.Rows.Select(row => featureIndexes
            .Select((c, f) => Parse(row[c], features[f].Kind))
            .ToArray()).ToList();
        return new LabelledDataset(labelColumn, positiveLabel, features, values, labels, dropped);
    }

    /// <summary>
    /// A dataset from values already typed (a training set from the feature store): each row's values in
    /// <paramref name="features"/> order, a double (or any number) for a numeric feature, text for a categorical one, null
    /// when missing. Both classes must be present.
    /// </summary>
    public static LabelledDataset FromValues(
        IReadOnlyList<FeatureColumn> features, IReadOnlyList<object?[]> values, IReadOnlyList<bool> labels, string labelColumn, string positiveLabel)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(labels);
        if (values.Count != labels.Count)
        {
            throw new TabularDataException($"{values.Count} rows of values but {labels.Count} labels");
        }
        if (features.Count == 0)
        {
            throw new TabularDataException("no feature columns");
        }
        var positives = labels.Count(label => label);
        if (positives == 0 || positives == labels.Count)
        {
            throw new TabularDataException(
                $"label \"{labelColumn}\" has one class only ({positives} of {labels.Count} rows are \"{positiveLabel}\"); both classes are needed");
        }
        for (var r = 0; r < values.Count; r++)
        {
            if (values[r].Length != features.Count)
            {
                throw new TabularDataException($"row {r}: {values[r].Length} values, {features.Count} features");
            }
        }
        return new LabelledDataset(labelColumn, positiveLabel, features, values, labels, []);
    }

    /// <summary>The rows at <paramref name="indexes"/>, in that order.</summary>
    public LabelledDataset Subset(IReadOnlyList<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        return new LabelledDataset(
            LabelColumn, PositiveLabel, Features, indexes.Select(i => Values[i]).ToList(), indexes.Select(i => Labels[i]).ToList(), DroppedColumns);
    }

    private static object? Parse(string? raw, ColumnKind kind)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        return kind == ColumnKind.Numeric && NumericParsing.TryParse(raw, out var number) ? number : raw.Trim();
    }
}
