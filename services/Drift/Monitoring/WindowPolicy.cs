namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Which window of a stream closes next. Tumbling: the next <c>WindowSize</c> predictions after the last window, or,
/// with a <c>WindowDuration</c>, the pending ones once the first of them is that old and they number at least
/// <c>MinWindowSize</c>. Sliding: the last <c>WindowSize</c> predictions every <c>WindowSlide</c> predictions.
/// </summary>
public static class WindowPolicy
{
    public static (long StartSeq, long EndSeq)? Next(StreamState stream, DriftMonitorOptions options, DateTime now)
    {
        var size = options.WindowSize;
        if (options.WindowSlide is { } slide)
        {
            var end = stream.ClosedUntil == 0 ? size : stream.ClosedUntil + slide;
            return stream.NextSeq >= end ? (Math.Max(0, end - size), end) : null;
        }
        var pending = stream.NextSeq - stream.ClosedUntil;
        if (pending >= size)
        {
            return (stream.ClosedUntil, stream.ClosedUntil + size);
        }
        if (options.WindowDuration is { } duration && pending >= options.MinWindowSize
            && stream.FirstPendingReceived is { } first && now - first >= duration)
        {
            return (stream.ClosedUntil, stream.NextSeq);
        }
        return null;
    }

    public static void Validate(DriftMonitorOptions options)
    {
        if (options.WindowSize < 2) throw new InvalidOperationException($"{DriftMonitorOptions.SectionName}:WindowSize must be at least 2.");
        if (options.WindowSlide is { } slide && (slide < 1 || slide > options.WindowSize))
            throw new InvalidOperationException($"{DriftMonitorOptions.SectionName}:WindowSlide must be between 1 and WindowSize.");
        if (options.MinWindowSize < 2 || options.MinWindowSize > options.WindowSize)
            throw new InvalidOperationException($"{DriftMonitorOptions.SectionName}:MinWindowSize must be between 2 and WindowSize.");
        if (options.WindowDuration is { } duration && duration <= TimeSpan.Zero)
            throw new InvalidOperationException($"{DriftMonitorOptions.SectionName}:WindowDuration must be positive.");
    }
}
