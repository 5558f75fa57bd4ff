using BenchmarkDotNet.Running;
using Microsoft.ML.AutoAssist.Benchmarks.Harness;

namespace Microsoft.ML.AutoAssist.Benchmarks;

/// <summary>
/// Entry point. Takes BenchmarkDotNet's usual arguments (for example <c>--filter '*'</c>) plus
/// <c>--quick</c>, which runs each benchmark for a few iterations only, and <c>--paired-protocol [rounds]</c>,
/// which runs the protocol-overhead epochs as paired, interleaved rounds instead of BenchmarkDotNet
/// (<see cref="PairedProtocolRun"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        int paired = Array.IndexOf(args, "--paired-protocol");
        if (paired >= 0)
        {
            int rows = Array.IndexOf(args, "--rows") is int r and >= 0 && r + 1 < args.Length ? ParseCount(args[r + 1]) : ProtocolOverheadBenchmarks.Rows;
            PairedProtocolRun.Run(paired + 1 < args.Length && !args[paired + 1].StartsWith('-') ? ParseCount(args[paired + 1]) : 40, rows);
            return;
        }
        bool quick = args.Contains("--quick");
        var benchmarkArgs = args.Where(a => a != "--quick").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs, BenchmarkConfig.Create(quick));
    }

    private static int ParseCount(string text)
        => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"Expected a positive whole number, got '{text}'.");
}
