using System.Globalization;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.GroupTesting;

/// <summary>Options of the neural group-testing benchmark (<c>--task group-testing</c>).</summary>
internal sealed class GroupTestingBenchmarkOptions
{
    public IReadOnlyList<int> PositiveClasses { get; set; } = [0];
    public IReadOnlyList<double> Prevalences { get; set; } = [0.001, 0.005, 0.01];
    public IReadOnlyList<GroupTestingDesign> Designs { get; set; } = Enum.GetValues<GroupTestingDesign>();
    public IReadOnlyList<GroupTestingAlgorithm> Algorithms { get; set; } = Enum.GetValues<GroupTestingAlgorithm>();
    /// <summary>Rows per group (M) of the group networks, in training and in screening.</summary>
    public int GroupSize { get; set; } = 16;
    public int Epochs { get; set; } = 5;
    /// <summary>Seeds of the test resamples: each draws other positives into the same negatives, and its own row order.</summary>
    public IReadOnlyList<int> ResampleSeeds { get; set; } = Enumerable.Range(1, 10).ToArray();
    /// <summary>Seed of the networks' weights and training groups.</summary>
    public int Seed { get; set; } = 1;
    public int? TrainRows { get; set; }
    /// <summary>Training rows held out (the last of the shuffled training set) to choose each group network's threshold.</summary>
    public int ValidationRows { get; set; } = 6000;
    /// <summary>Share of the held-out one-positive groups each group network must flag (its threshold is set to it).</summary>
    public double GroupSensitivity { get; set; } = 0.99;
    /// <summary>Start the group networks from random weights instead of the individual network's.</summary>
    public bool ColdStart { get; set; }
    /// <summary>Read only the first this many test images (quick looks and tests; the benchmark uses all 10,000).</summary>
    public int? TestRows { get; set; }
    public string? FashionDirectory { get; set; }
    public string Output { get; set; } = "artifacts/benchmarks/group-testing";
    public string? Publish { get; set; }
    public IReadOnlyList<string> Arguments { get; set; } = [];

    public string CommandLine => "dotnet run -c Release --project test/AutoAssist.Harness --" + string.Concat(Arguments.Select(a => " " + a));

    public const string Usage = """
        Neural group testing benchmark: binary ResNets trained on groups (pixel, feature and tree merge)
        screen a rare-positive Fashion-MNIST test set with each algorithm, against individual testing
        by the same network family trained on single rows. Reports compute and wall-clock per row,
        recall and false-positive rate at each prevalence.

        Usage: dotnet run -c Release --project test/AutoAssist.Harness -- --task group-testing [options]

          --positive-classes LIST   Fashion-MNIST classes that are positive (default 0, T-shirt/top)
          --prevalences LIST        shares of positive test rows (default 0.001,0.005,0.01)
          --designs LIST            pixelmerge,featuremerge,treemerge (default all)
          --algorithms LIST         tworound,multiround,oneround (default all)
          --group-size M            rows per group, 2 to 16 (default 16)
          --epochs N                training epochs of every network (default 5)
          --resample-seeds LIST     test resamples per prevalence (default 1..10)
          --seed S                  seed of the networks (default 1)
          --train-rows N            use the first N training rows (default all but the validation rows)
          --validation-rows N       training rows held out to choose the group thresholds (default 6000)
          --group-sensitivity S     share of held-out one-positive groups each group network must flag,
                                    which sets its group threshold (default 0.99)
          --cold-start              train the group networks from random weights, not from the individual network's
          --test-rows N             resample from the first N test images only (quick looks; default all 10,000)
          --fashion-dir DIR         Fashion-MNIST folder (default FASHION_MNIST_DIR, then the system folder)
          --out DIR                 output folder (default artifacts/benchmarks/group-testing)
          --publish [DIR]           also write group-testing-fashion-mnist.* there (default docs/benchmarks)
        """;

    public static bool IsRequested(string[] args)
    {
        int i = Array.IndexOf(args, "--task");
        return i >= 0 && i + 1 < args.Length && args[i + 1].Equals("group-testing", StringComparison.OrdinalIgnoreCase);
    }

    public static GroupTestingBenchmarkOptions Parse(string[] args)
    {
        var o = new GroupTestingBenchmarkOptions { Arguments = args };
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            static int Integer(string value) => int.Parse(value, CultureInfo.InvariantCulture);
            static T Named<T>(string value, string what) where T : struct, Enum
                => Enum.TryParse<T>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                    ? parsed
                    : throw new ArgumentException($"Unknown {what} '{value}'. Known: {string.Join(", ", Enum.GetNames<T>())}.");
            switch (args[i])
            {
                case "--task": Value(); break;
                case "--positive-classes": o.PositiveClasses = List(Value()).Select(Integer).ToArray(); break;
                case "--prevalences": o.Prevalences = List(Value()).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--designs": o.Designs = List(Value()).Select(v => Named<GroupTestingDesign>(v, "design")).ToArray(); break;
                case "--algorithms": o.Algorithms = List(Value()).Select(v => Named<GroupTestingAlgorithm>(v, "algorithm")).ToArray(); break;
                case "--group-size": o.GroupSize = Integer(Value()); break;
                case "--epochs": o.Epochs = Integer(Value()); break;
                case "--resample-seeds": o.ResampleSeeds = List(Value()).Select(Integer).ToArray(); break;
                case "--seed": o.Seed = Integer(Value()); break;
                case "--train-rows": o.TrainRows = Integer(Value()); break;
                case "--validation-rows": o.ValidationRows = Integer(Value()); break;
                case "--group-sensitivity": o.GroupSensitivity = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--cold-start": o.ColdStart = true; break;
                case "--test-rows": o.TestRows = Integer(Value()); break;
                case "--fashion-dir": o.FashionDirectory = Value(); break;
                case "--out": o.Output = Value(); break;
                case "--publish":
                    o.Publish = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "docs/benchmarks";
                    break;
                default: throw new ArgumentException($"Unknown option '{args[i]}' of --task group-testing.");
            }
        }
        if (o.PositiveClasses.Count == 0 || o.PositiveClasses.Any(c => c is < 0 or > 9))
            throw new ArgumentException("--positive-classes must list Fashion-MNIST classes from 0 to 9.");
        if (o.Prevalences.Count == 0 || o.Prevalences.Any(p => !(p > 0 && p <= 0.5)))
            throw new ArgumentException("--prevalences must be shares in (0, 0.5].");
        if (o.GroupSize is < 2 or > GroupTestingInferenceOptions.MaxGroupSize)
            throw new ArgumentException($"--group-size must be from 2 to {GroupTestingInferenceOptions.MaxGroupSize} (1 is individual testing, which every run measures anyway).");
        if (!(o.GroupSensitivity is > 0 and <= 1))
            throw new ArgumentException("--group-sensitivity must be above 0 and at most 1.");
        if (o.ValidationRows < 100)
            throw new ArgumentException("--validation-rows must be at least 100.");
        if (o.Epochs < 1 || o.ResampleSeeds.Count == 0 || o.Designs.Count == 0 || o.Algorithms.Count == 0 || o.TrainRows is < 1 || o.TestRows is < 1)
            throw new ArgumentException("--epochs, --train-rows and --test-rows must be at least 1, and --resample-seeds, --designs and --algorithms not empty.");
        return o;
    }
}
