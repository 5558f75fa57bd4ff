using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.AutoAssist.Benchmarks.Harness;

/// <summary>
/// The protocol-overhead benchmarks run as paired, interleaved epochs in one process: each round
/// times one epoch of every variant back to back, in an order drawn afresh each round,
/// and the overhead is the per-round ratio to <see cref="ProtocolOverheadBenchmarks.ShuffledPlainCursor"/>.
/// BenchmarkDotNet runs one benchmark after another, so the machine's drift over minutes (other
/// tenants of a shared VM) lands between the numbers it compares; pairing cancels most of it.
/// </summary>
internal static class PairedProtocolRun
{
    private const int WarmupRounds = 5;

    public static void Run(int rounds, int rows)
    {
        var benchmarks = new ProtocolOverheadBenchmarks { RowCount = rows };
        Console.WriteLine($"// Paired protocol overhead: {rounds} rounds after {WarmupRounds} warm-up rounds, {rows:N0} rows per epoch.");
        benchmarks.Setup();
        try
        {
            (string Name, Func<double> Epoch)[] variants =
            [
                (nameof(benchmarks.ShuffledPlainCursor), benchmarks.ShuffledPlainCursor),
                (nameof(benchmarks.ShuffledInputCursor), benchmarks.ShuffledInputCursor),
                (nameof(benchmarks.PlainCursor), benchmarks.PlainCursor),
                (nameof(benchmarks.UniformEpoch), benchmarks.UniformEpoch),
                (nameof(benchmarks.AutoAssistKeepAllEpoch), benchmarks.AutoAssistKeepAllEpoch),
            ];
            var nsPerRow = variants.Select(_ => new List<double>()).ToArray();
            double checksum = 0;
            // A fresh random order each round: what ran just before an epoch changes what is still
            // in the caches, and a rotating order would keep the same neighbours round after round.
            var orderRandom = new Random(2019);
            var order = Enumerable.Range(0, variants.Length).ToArray();
            for (int round = -WarmupRounds; round < rounds; round++)
            {
                orderRandom.Shuffle(order);
                foreach (int v in order)
                {
                    var watch = Stopwatch.StartNew();
                    checksum += variants[v].Epoch();
                    watch.Stop();
                    // Outside the timed epoch, as in the BenchmarkDotNet run.
                    benchmarks.LetAssistantCatchUp();
                    if (round >= 0)
                        nsPerRow[v].Add(watch.Elapsed.TotalNanoseconds / rows);
                }
            }
            Print(variants.Select(v => v.Name).ToArray(), nsPerRow);
            Console.WriteLine($"// checksum {checksum.ToString("R", CultureInfo.InvariantCulture)}");
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static void Print(string[] names, List<double>[] nsPerRow)
    {
        Console.WriteLine("| Variant | ns/row median | [q1 – q3] | ÷ ShuffledPlainCursor, per round: median | [q1 – q3] | [min – max] |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (int v = 0; v < names.Length; v++)
        {
            var ratios = nsPerRow[v].Zip(nsPerRow[0], (a, b) => a / b).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {names[v]} | {Quantile(nsPerRow[v], 0.5):F1} | [{Quantile(nsPerRow[v], 0.25):F1} – {Quantile(nsPerRow[v], 0.75):F1}] | " +
                $"{Quantile(ratios, 0.5):F3} | [{Quantile(ratios, 0.25):F3} – {Quantile(ratios, 0.75):F3}] | [{ratios.Min():F3} – {ratios.Max():F3}] |"));
        }
    }

    private static double Quantile(IReadOnlyCollection<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
