namespace CreditRisk.Benchmarking;

/// <summary>
/// The interpreter the Python baselines and cross-checks run under: Debian's, where apt installs python3-sklearn,
/// python3-scipy and python3-grpcio (a python earlier on PATH, a virtualenv or pyenv one, may lack them).
/// </summary>
public static class DebianPython
{
    public const string Path = "/usr/bin/python3";
}
