using BenchmarkDotNet.Running;
using Microsoft.ML.AutoAssist.Benchmarks.Harness;

namespace Microsoft.ML.AutoAssist.Benchmarks;

/// <summary>
/// Entry point. Takes BenchmarkDotNet's usual arguments (for example <c>--filter '*'</c>) plus
/// <c>--quick</c>, which runs each benchmark for a few iterations only.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        var benchmarkArgs = args.Where(a => a != "--quick").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs, BenchmarkConfig.Create(quick));
    }
}
