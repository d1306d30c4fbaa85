using System.Globalization;

namespace CreditRisk.DevBroker.Bench;

internal sealed record BenchSettings(int Records, int ValueSize, string? Only)
{
    public static BenchSettings Parse(string[] args)
    {
        var records = 1_000_000;
        var size = 100;
        string? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--records":
                    records = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--size":
                    size = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--only":
                    only = args[++i];
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}; use --records N --size BYTES [--only dev|mock]");
            }
        }

        return new BenchSettings(records, size, only);
    }
}
