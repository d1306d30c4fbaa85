namespace CreditRisk.Drift.Statistics;

/// <summary>Neumaier's compensated sum: long sums stay within a few ulps whatever their order.</summary>
public struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public void Add(double value)
    {
        var t = _sum + value;
        if (Math.Abs(_sum) >= Math.Abs(value)) _compensation += (_sum - t) + value;
        else _compensation += (value - t) + _sum;
        _sum = t;
    }

    public readonly double Value => _sum + _compensation;
}
