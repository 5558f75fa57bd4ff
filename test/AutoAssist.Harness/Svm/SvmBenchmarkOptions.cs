using System.Globalization;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Svm;

/// <summary>Options of the linear SVM benchmark (<c>--task svm</c>).</summary>
internal sealed class SvmBenchmarkOptions
{
    public IReadOnlyList<string> Datasets { get; set; } = SvmDatasets.All;
    public IReadOnlyList<int> Seeds { get; set; } = [1, 2, 3];
    public IReadOnlyList<string> Methods { get; set; } = SvmMethods.All;
    /// <summary>Epochs (passes of n visits) of the Pegasos runs; also the largest iteration count of ML.NET's trainers.</summary>
    public int Epochs { get; set; } = 40;
    /// <summary>Ratio of successive measurement points (rows visited) of the Pegasos runs.</summary>
    public double GridFactor { get; set; } = 1.2;
    public double Cost { get; set; } = 1;
    public SvmLoss Loss { get; set; } = SvmLoss.Hinge;
    /// <summary>The relative objective gap every method is timed to reach.</summary>
    public double TargetGap { get; set; } = 1e-3;
    public string? FashionDirectory { get; set; }
    public string CorpusPath { get; set; } = "datasets/translation-en-de/test.tsv";
    public string Output { get; set; } = "artifacts/benchmarks/svm";
    public string? Publish { get; set; }
    public IReadOnlyList<string> Arguments { get; set; } = [];

    public string CommandLine => "dotnet run -c Release --project test/AutoAssist.Harness --" + string.Concat(Arguments.Select(a => " " + a));

    public const string Usage = """
        Linear SVM benchmark: Pegasos with uniform, importance-sampled and AutoAssist-shrinking instance
        selection against ML.NET's LinearSvm and SdcaNonCalibrated, timed to a relative primal objective gap.

        Usage: dotnet run -c Release --project test/AutoAssist.Harness -- --task svm [options]

          --datasets LIST        fashion-shirt-vs-tshirt,en-de-lohelp (default both)
          --methods LIST         uniform,loss-importance,gradient-importance,shrinking,mlnet-linearsvm,mlnet-sdca (default all)
          --seeds LIST           default 1,2,3
          --epochs N             passes of the Pegasos runs and the most iterations of ML.NET's (default 40)
          --grid-factor F        ratio of successive measurements (rows visited) of the Pegasos runs (default 1.2)
          --cost C               LIBLINEAR's C; lambda = 1/(C n) (default 1)
          --loss hinge|squared-hinge   (default hinge; ML.NET's trainers run only for the hinge)
          --target-gap G         relative objective gap to time (default 1e-3)
          --fashion-dir DIR      Fashion-MNIST folder (default FASHION_MNIST_DIR, then the system folder)
          --corpus PATH          corpus split (default datasets/translation-en-de/test.tsv)
          --out DIR              output folder (default artifacts/benchmarks/svm)
          --publish [DIR]        also write svm-<dataset>.* there (default docs/benchmarks)
        """;

    public static bool IsRequested(string[] args)
    {
        int i = Array.IndexOf(args, "--task");
        return i >= 0 && i + 1 < args.Length && args[i + 1].Equals("svm", StringComparison.OrdinalIgnoreCase);
    }

    public static SvmBenchmarkOptions Parse(string[] args)
    {
        var o = new SvmBenchmarkOptions { Arguments = args };
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            static List<string> List(string value) => [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            static double Number(string value) => double.Parse(value, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--task": Value(); break;
                case "--datasets": o.Datasets = List(Value()); break;
                case "--methods": o.Methods = List(Value()); break;
                case "--seeds": o.Seeds = List(Value()).Select(int.Parse).ToList(); break;
                case "--epochs": o.Epochs = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--grid-factor": o.GridFactor = Number(Value()); break;
                case "--cost": o.Cost = Number(Value()); break;
                case "--loss":
                    o.Loss = Value() switch
                    {
                        "hinge" => SvmLoss.Hinge,
                        "squared-hinge" => SvmLoss.SquaredHinge,
                        var v => throw new ArgumentException($"Unknown loss '{v}': hinge or squared-hinge."),
                    };
                    break;
                case "--target-gap": o.TargetGap = Number(Value()); break;
                case "--fashion-dir": o.FashionDirectory = Value(); break;
                case "--corpus": o.CorpusPath = Value(); break;
                case "--out": o.Output = Value(); break;
                case "--publish":
                    o.Publish = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "docs/benchmarks";
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}' of --task svm.");
            }
        }
        foreach (string d in o.Datasets.Where(d => !SvmDatasets.All.Contains(d)))
            throw new ArgumentException($"Unknown data set '{d}'. Known: {string.Join(", ", SvmDatasets.All)}.");
        foreach (string m in o.Methods.Where(m => !SvmMethods.All.Contains(m)))
            throw new ArgumentException($"Unknown method '{m}'. Known: {string.Join(", ", SvmMethods.All)}.");
        if (o.Epochs < 1 || !(o.GridFactor > 1) || !(o.Cost > 0) || !(o.TargetGap > 0) || o.Seeds.Count == 0)
            throw new ArgumentException("--epochs must be at least 1, --grid-factor above 1, --cost and --target-gap positive, and --seeds not empty.");
        return o;
    }
}
