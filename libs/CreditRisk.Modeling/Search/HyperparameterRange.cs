namespace CreditRisk.Modeling.Search;

/// <summary>One dimension of a search space: uniform on [Min, Max], on a log scale if asked, rounded for integers.</summary>
public sealed record HyperparameterRange(string Name, double Min, double Max, bool LogScale = false, bool Integer = false)
{
    public double Sample(Random random)
    {
        var u = random.NextDouble();
        var value = LogScale
            ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min)))
            : Min + u * (Max - Min);
        return Integer ? Math.Round(value) : value;
    }
}
