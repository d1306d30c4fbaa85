using System.CommandLine;
using CreditRisk.Benchmarking;
using CreditRisk.Drift.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Drift.Bench -- [--rows 1000000] [--reference-rows 100000]
//          [--columns 20] [--repeat 3] [--python /usr/bin/python3|none] [--streaming 100000] [--postgres CONNECTION]
var rows = new Option<int>("--rows") { Description = "current rows", DefaultValueFactory = _ => 1_000_000 };
var referenceRows = new Option<int>("--reference-rows") { Description = "reference rows", DefaultValueFactory = _ => 100_000 };
var columns = new Option<int>("--columns") { Description = "columns (14 in 20 numeric, 3 numeric with 4 values, 3 text)", DefaultValueFactory = _ => 20 };
var repeat = new Option<int>("--repeat") { Description = "timed runs of the C# side; the best and the median are printed", DefaultValueFactory = _ => 3 };
var python = new Option<string>("--python") { Description = "python with Debian's python3-scipy for the baseline (none skips it)", DefaultValueFactory = _ => DebianPython.Path };
var streaming = new Option<int>("--streaming") { Description = "predictions streamed into windows in PostgreSQL (0 skips it)", DefaultValueFactory = _ => 100_000 };
var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL for the streaming part; default ConnectionStrings__Postgres" };
var command = new RootCommand("Drift tests and the HTML report on a large current set, beside numpy/scipy on the same arrays; then streaming ingestion's cost per prediction.")
{
    rows, referenceRows, columns, repeat, python, streaming, postgres,
};
command.SetAction(async (parsed, cancellationToken) =>
{
    var output = parsed.InvocationConfiguration.Output;
    var exit = await DriftBenchmark.RunAsync(
        parsed.GetValue(rows), parsed.GetValue(referenceRows), parsed.GetValue(columns), Math.Max(1, parsed.GetValue(repeat)),
        parsed.GetValue(python) is var path && string.Equals(path, "none", StringComparison.OrdinalIgnoreCase) ? null : path,
        output, cancellationToken);
    var connection = parsed.GetValue(postgres) ?? Environment.GetEnvironmentVariable("ConnectionStrings__Postgres");
    if (exit == 0 && parsed.GetValue(streaming) > 0)
    {
        if (string.IsNullOrEmpty(connection))
        {
            output.WriteLine("Streaming ingestion: skipped (no --postgres and no ConnectionStrings__Postgres)");
        }
        else
        {
            await StreamingBenchmark.RunAsync(parsed.GetValue(streaming), connection, output, cancellationToken);
        }
    }
    return exit;
});
return await command.Parse(args).InvokeAsync();
