namespace CreditRisk.Modeling.Evaluation;

/// <summary>
/// Holds out the latest rows: sorted by time, ties by id (ordinal), the last round(n · fraction) rows (at least one,
/// never all) are the out-of-time slice. The same rows always give the same split, whatever order they come in.
/// </summary>
public static class OutOfTimeSplit
{
    public const double DefaultFraction = 0.2;

    /// <returns>Row indexes of the earlier part and of the held-out latest part, each in time order.</returns>
    public static (IReadOnlyList<int> Earlier, IReadOnlyList<int> Latest) Split(
        IReadOnlyList<DateTimeOffset> times, IReadOnlyList<string> ids, double fraction = DefaultFraction)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(ids);
        if (times.Count != ids.Count)
        {
            throw new ArgumentException($"{times.Count} times but {ids.Count} ids");
        }
        if (fraction is <= 0 or >= 1 || double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the out-of-time fraction must be in (0, 1)");
        }
        if (times.Count < 2)
        {
            throw new ArgumentException($"an out-of-time split needs at least 2 rows; there are {times.Count}");
        }
        var order = Enumerable.Range(0, times.Count)
            .OrderBy(i => times[i])
            .ThenBy(i => ids[i], StringComparer.Ordinal)
            .ToArray();
        var held = Math.Clamp((int)Math.Round(times.Count * fraction, MidpointRounding.AwayFromZero), 1, times.Count - 1);
        return (order[..^held], order[^held..]);
    }
}
