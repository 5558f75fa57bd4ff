using Microsoft.ML.AutoAssist;
using System.Globalization;
using System.Reflection;

namespace AutoAssist.Harness.Configuration;

/// <summary>Everything one benchmark run is told: what to train, how, how often to measure, where to write.</summary>
public sealed class HarnessOptions
{
    /// <summary>The image-classification task (a ResNet on an image data set).</summary>
    public const string ImageTask = "image";

    /// <summary>The Fashion-MNIST data set.</summary>
    public const string FashionMnistDataset = "fashion-mnist";

    /// <summary>The translation task (a Transformer on a parallel corpus).</summary>
    public const string TranslationTask = "translation";

    /// <summary>The English-German corpus of build/build-corpus.sh.</summary>
    public const string EnglishGermanDataset = "en-de";

    /// <summary>Prefix of <c>--set</c> keys that change the trainer's options instead of a method's filter.</summary>
    public const string TrainerPrefix = "trainer";

    /// <summary>Task: "image" or "translation".</summary>
    public string Task { get; set; } = ImageTask;

    /// <summary>Data set: "fashion-mnist".</summary>
    public string Dataset { get; set; } = FashionMnistDataset;

    /// <summary>The network (resnet8, resnet20, resnet32, resnet56, resnet18).</summary>
    public ResNetArchitecture Architecture { get; set; } = ResNetArchitecture.ResNet20;

    /// <summary>The methods, in the order each seed runs them.</summary>
    public List<BenchmarkMethod> Methods { get; set; } = BenchmarkMethod.AllNames.Select(BenchmarkMethod.Parse).ToList();

    /// <summary>Seeds; each seed runs every method before the next seed starts.</summary>
    public List<int> Seeds { get; set; } = [1, 2, 3];

    /// <summary>Budget in passes over the training data.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Training rows (the first this many of the training split); null: all.</summary>
    public int? TrainRows { get; set; }

    /// <summary>Test rows (the first this many of the test split); null: all.</summary>
    public int? TestRows { get; set; }

    /// <summary>Optimizer steps between measurements of the test metric.</summary>
    public long EvaluationIntervalSteps { get; set; } = 100;

    /// <summary>Rows per optimizer step.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Learning-rate schedule (the same for every method).</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Cosine;

    /// <summary>TorchSharp CPU threads; null: TorchSharp's default.</summary>
    public int? Threads { get; set; }

    /// <summary>Folder of the data set's files; null: the data set's own default (environment variable, then system folder).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Folder the report is written to; null: artifacts/benchmarks/&lt;task&gt;-&lt;dataset&gt; (smoke-… in smoke mode).</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>The metric to reach; null: uniform's final metric, averaged over seeds, less <see cref="TargetMargin"/>.</summary>
    public double? Target { get; set; }

    /// <summary>Subtracted from uniform's mean final metric to make the default target.</summary>
    public double TargetMargin { get; set; }

    /// <summary>Trainer fields set with <c>--set trainer.Field=value</c>.</summary>
    public Dictionary<string, string> TrainerOverrides { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, the summary is also written there as &lt;task&gt;-&lt;dataset&gt;.json/.md/-*.png (the committed copy).</summary>
    public string? PublishDirectory { get; set; }

    /// <summary>Smoke mode: a tiny run of every method that finishes in seconds.</summary>
    public bool Smoke { get; set; }

    /// <summary>
    /// Frontier mode: shares of the reference budget (in Boss optimizer steps) every method trains
    /// at, e.g. 0.5, 0.7, 1.0; null: the classic equal-passes benchmark.
    /// </summary>
    public List<double>? Fractions { get; set; }

    /// <summary>Per-method fractions that replace <see cref="Fractions"/> for that method (e.g. uniform also at 1.0 and 1.5).</summary>
    public Dictionary<string, List<double>> MethodFractions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Training rows set aside (with a fixed seed) as a validation split that is never trained on; 0: none.</summary>
    public int ValidationRows { get; set; }

    /// <summary>The split the learning curve is measured on, which the reference and time-to-reference use.</summary>
    public MetricSplit SelectOn { get; set; } = MetricSplit.Test;

    /// <summary>Steps of the discarded warm-up run before the first timed run (JIT, caches); 0: none.</summary>
    public int WarmupSteps { get; set; } = 20;

    /// <summary>The results store (JSON lines); null: docs/benchmarks/store/&lt;task&gt;-&lt;dataset&gt;.jsonl (in smoke mode: in the output folder).</summary>
    public string? StorePath { get; set; }

    /// <summary>Skip runs whose key is already in the store (frontier mode).</summary>
    public bool ResumeStore { get; set; } = true;

    /// <summary>
    /// With <see cref="ResumeStore"/>: a stored run also counts as done when it measured another
    /// (clean) commit with the same settings, budget and seed; by default only the same code counts.
    /// </summary>
    public bool ResumeAcrossCommits { get; set; }

    /// <summary>Train nothing: rebuild the frontier report from the store.</summary>
    public bool ReportFromStore { get; set; }

    /// <summary>With <see cref="ReportFromStore"/>: only runs whose commit starts with this.</summary>
    public string? ReportCommit { get; set; }

    /// <summary>True for the frontier mode (budgets in steps, the results store, the frontier report).</summary>
    public bool IsFrontier => Fractions is not null || ReportFromStore;

    /// <summary>The fractions <paramref name="method"/> trains at: its own list, else the common one, else B alone.</summary>
    public IReadOnlyList<double> FractionsFor(BenchmarkMethod method)
        => MethodFractions.TryGetValue(method.Name, out var own) ? own : Fractions ?? [BudgetPlan.ReferenceFraction];

    /// <summary>The results store's path, with its default filled in (smoke runs never write into the committed store).</summary>
    public string ResolvedStorePath
        => StorePath ?? (Smoke
            ? Path.Combine(ResolvedOutputDirectory, "store.jsonl")
            : Path.Combine(DefaultPublishDirectory(), "store", BenchmarkName + ".jsonl"));

    /// <summary>The arguments as given, to be reported with the results.</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>The report's base name: &lt;task&gt;-&lt;dataset&gt; (e.g. image-fashion-mnist).</summary>
    public string BenchmarkName => $"{Task}-{Dataset}";

    /// <summary>The model's command-line name (resnet20).</summary>
    public string ModelName => Architecture.ToString().ToLowerInvariant();

    /// <summary>The output folder, with its default filled in.</summary>
    public string ResolvedOutputDirectory
        => OutputDirectory ?? Path.Combine("artifacts", "benchmarks", (Smoke ? "smoke-" : "") + BenchmarkName + (IsFrontier ? "-frontier" : ""));

    /// <summary>The build configuration the harness was compiled in (Release or Debug).</summary>
    public static string BuildConfiguration { get; } =
        typeof(HarnessOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The command that reproduces this run, as recorded in the summary.</summary>
    public string CommandLine
        => $"dotnet run -c {BuildConfiguration} --project test/AutoAssist.Harness --" + string.Concat(Arguments.Select(a => " " + Quote(a)));

    /// <summary>The usage text.</summary>
    public static string Usage => """
        AutoAssist benchmark harness: trains the same model with every row-selection method on the same data,
        seed by seed (for each seed, every method), and reports time and Boss compute to reach a target metric.

        Usage: dotnet run -c Release --project test/AutoAssist.Harness -- [options]

          --task image                 task: image | translation (a Transformer; the ResNet settings
                                       --model, --batch-size, --lr, --schedule do not apply: use --set trainer.Field=VALUE)
          --dataset fashion-mnist      data set: fashion-mnist (image) | en-de (translation; --data-dir defaults to
                                       data/corpus/en-de, BLEU on dev.tsv; tokenizer data/tokenizer/en-de-bpe-8000.model)
          --model resnet20             resnet8 | resnet20 | resnet32 | resnet56 | resnet18
          --methods LIST               comma-separated, in run order; default: every registered selection method
                                       (uniform,autoassist,infobatch,selectivebackprop,losssampling) and autoassist-keepall
                                       (AutoAssist with BaseKeepProbability=1: the machinery's overhead); names are
                                       case- and hyphen-insensitive; a variant base:label, e.g. autoassist:floor0.2,
                                       runs a method under its own name
          --seeds LIST                 comma-separated seeds (default 1,2,3)
          --epochs N                   budget in passes over the training data (default 10)
          --train-rows N               use the first N training rows (default: all); translation: a fixed-seed random
                                       sample of N pairs (the corpus file is grouped by origin)
          --test-rows N                use the first N test rows (default: all)
          --eval-interval N            optimizer steps between test measurements (default 100; also at each epoch's end)
          --batch-size N               rows per step (default 128)
          --lr X                       peak learning rate (default 0.1)
          --schedule NAME              cosine | step-decay | constant (default cosine)
          --threads N                  TorchSharp CPU threads (default: TorchSharp's)
          --data-dir DIR               folder of the data set's files (default: FASHION_MNIST_DIR, then the system folder)
          --out DIR                    output folder (default artifacts/benchmarks/<task>-<dataset>)
          --target X                   metric to reach (default: uniform's mean final metric minus --target-margin)
          --target-margin X            default target = uniform's mean final metric - X (default 0)
          --set METHOD.Field=VALUE     set a filter option of one method, e.g. --set autoassist.BaseKeepProbability=0.2
          --set trainer.Field=VALUE    set a trainer option of every method, e.g. --set trainer.WarmupFraction=0.05
          --set METHOD.trainer.Field=VALUE   set a trainer option of one method (after the above), e.g.
                                       --methods uniform,uniform:chunked --set uniform:chunked.trainer.TrainingMode=Chunked
          --publish [DIR]              also write <task>-<dataset>.json/.md/-time.png/-compute.png to DIR (default docs/benchmarks
                                       of the repository around the current folder)
          --warmup-steps N             discarded warm-up run of the first method before the first timed run (default 20; 0: none)
          --smoke                      tiny run of every method in seconds: 512 train / 256 test rows, resnet8, 1 epoch, seed 1
          --help                       this text

        Writes to the output folder: runs.csv (one row per measurement per run), epochs.csv (selection statistics per
        epoch per run), summary.json, summary.md, metric-vs-time.png, metric-vs-compute.png.

        Frontier mode (equal budgets in Boss optimizer steps; B = epochs x ceil(train rows / batch size)):
          --fractions LIST             every method trains at MaxSteps = round(f x B) for each f, e.g. 0.5,0.7,1.0
          --method-fractions M=LIST    fractions of one method instead (repeatable), e.g. uniform=0.5,0.7,1.0,1.5
          --validation-rows N          carve N rows (fixed seed) out of the training rows, never trained on (default 0)
          --select-on test|validation  split of the learning curve and of the reference (default test; studies: validation)
          --store PATH                 results store, JSON lines (default docs/benchmarks/store/<task>-<dataset>.jsonl;
                                       smoke: in the output folder)
          --resume-store               skip runs already in the store for this code and settings (the default)
          --no-resume-store            run them again (the report then uses the newest)
          --resume-across-commits      also skip runs stored by other (clean) commits with the same settings
          --report-from-store          train nothing: rebuild the report, CSVs and plot from the store
          --commit X                   with --report-from-store: only runs of commits starting with X
          Method settings may contain {fraction}, replaced by the run's fraction: --set autoassist:x.BaseKeepProbability={fraction}.
          Writes runs.csv, epochs.csv, frontier.json, frontier.md, frontier.png; --publish writes <task>-<dataset>-frontier.*.
        """;

    /// <summary>Parses the command line. Smoke mode's settings come first; options given explicitly win over them.</summary>
    /// <exception cref="ArgumentException">An option is unknown, misses its value, or has a bad value.</exception>
    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HarnessOptions { Arguments = args.ToArray() };
        if (args.Contains("--smoke"))
            options.ApplySmokeSettings();

        var methodOverrides = new List<(string Method, string Field, string Value)>();
        var methodTrainerOverrides = new List<(string Method, string Field, string Value)>();
        var methodFractions = new List<(string Method, List<double> Fractions)>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException($"Option {arg} needs a value.");
                return args[++i];
            }

            switch (arg)
            {
                case "--smoke":
                    break;
                case "--task":
                    options.Task = Value().ToLowerInvariant();
                    break;
                case "--dataset":
                    options.Dataset = Value().ToLowerInvariant();
                    break;
                case "--model":
                    options.Architecture = ParseArchitecture(Value());
                    break;
                case "--methods":
                    options.Methods = SplitList(Value(), arg).Select(BenchmarkMethod.Parse).ToList();
                    break;
                case "--seeds":
                    options.Seeds = SplitList(Value(), arg).Select(s => ParseInt(s, arg, min: int.MinValue)).ToList();
                    break;
                case "--epochs":
                    options.Epochs = ParseInt(Value(), arg, min: 1);
                    break;
                case "--train-rows":
                    options.TrainRows = ParseInt(Value(), arg, min: 1);
                    break;
                case "--test-rows":
                    options.TestRows = ParseInt(Value(), arg, min: 1);
                    break;
                case "--eval-interval":
                    options.EvaluationIntervalSteps = ParseInt(Value(), arg, min: 1);
                    break;
                case "--batch-size":
                    options.BatchSize = ParseInt(Value(), arg, min: 1);
                    break;
                case "--lr":
                    options.LearningRate = ParseDouble(Value(), arg);
                    break;
                case "--schedule":
                    options.Schedule = ParseSchedule(Value());
                    break;
                case "--threads":
                    options.Threads = ParseInt(Value(), arg, min: 1);
                    break;
                case "--data-dir":
                    options.DataDirectory = Value();
                    break;
                case "--out":
                    options.OutputDirectory = Value();
                    break;
                case "--target":
                    options.Target = ParseDouble(Value(), arg);
                    break;
                case "--target-margin":
                    options.TargetMargin = ParseDouble(Value(), arg);
                    break;
                case "--set":
                    var (owner, field, value) = ParseSetting(Value());
                    if (owner.Equals(TrainerPrefix, StringComparison.OrdinalIgnoreCase))
                        options.TrainerOverrides[field] = value;
                    else if (owner.EndsWith("." + TrainerPrefix, StringComparison.OrdinalIgnoreCase))
                        methodTrainerOverrides.Add((owner[..^(TrainerPrefix.Length + 1)], field, value));
                    else
                        methodOverrides.Add((owner, field, value));
                    break;
                case "--fractions":
                    options.Fractions = ParseFractions(Value(), arg);
                    break;
                case "--method-fractions":
                    methodFractions.Add(ParseMethodFractions(Value()));
                    break;
                case "--validation-rows":
                    options.ValidationRows = ParseInt(Value(), arg, min: 0);
                    break;
                case "--select-on":
                    options.SelectOn = ParseSplit(Value());
                    break;
                case "--warmup-steps":
                    options.WarmupSteps = ParseInt(Value(), arg, min: 0);
                    break;
                case "--store":
                    options.StorePath = Value();
                    break;
                case "--resume-store":
                    options.ResumeStore = true;
                    break;
                case "--no-resume-store":
                    options.ResumeStore = false;
                    break;
                case "--resume-across-commits":
                    options.ResumeAcrossCommits = true;
                    break;
                case "--report-from-store":
                    options.ReportFromStore = true;
                    break;
                case "--commit":
                    options.ReportCommit = Value();
                    break;
                case "--publish":
                    bool hasFolder = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                    options.PublishDirectory = hasFolder ? args[++i] : DefaultPublishDirectory();
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{arg}'. Run with --help for the list.");
            }
        }

        options.AttachMethodOverrides(methodOverrides);
        options.AttachMethodTrainerOverrides(methodTrainerOverrides);
        options.CheckTrainerOverrides();
        foreach (var (method, fractions) in methodFractions)
            options.MethodFractions[method] = fractions;
        options.Validate();
        return options;
    }

    /// <summary>The tiny configuration the test suite runs: every method, seconds in all.</summary>
    public void ApplySmokeSettings()
    {
        Smoke = true;
        Architecture = ResNetArchitecture.ResNet8;
        Seeds = [1];
        Epochs = 1;
        TrainRows = 512;
        TestRows = 256;
        BatchSize = 64;
        EvaluationIntervalSteps = 2;
        WarmupSteps = 2;
    }

    /// <summary>Checks the combination of settings.</summary>
    /// <exception cref="ArgumentException">The task, data set or method list cannot run.</exception>
    public void Validate()
    {
        if (Task != ImageTask && Task != TranslationTask)
            throw new ArgumentException($"Unknown task '{Task}'. Supported: {ImageTask}, {TranslationTask}.");
        string expectedDataset = Task == ImageTask ? FashionMnistDataset : EnglishGermanDataset;
        if (Dataset != expectedDataset)
            throw new ArgumentException($"The {Task} task has no data set '{Dataset}'. Supported: {expectedDataset} (--dataset {expectedDataset}).");
        if (Methods.Count == 0)
            throw new ArgumentException("--methods lists no method.");
        var duplicate = Methods.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Method '{duplicate.Key}' is listed twice; give variants their own label (e.g. {duplicate.Key}:b).");
        if (Seeds.Count == 0)
            throw new ArgumentException("--seeds lists no seed.");
        if (Seeds.Distinct().Count() != Seeds.Count)
            throw new ArgumentException("--seeds lists a seed twice.");
        if (!IsFrontier && Target is null && !Methods.Any(m => m.IsUniform))
            throw new ArgumentException("Without uniform among the methods there is no default target: give --target, or add uniform.");
        foreach (string name in MethodFractions.Keys)
        {
            if (!Methods.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"--method-fractions {name}=…: '{name}' is not among the methods run ({string.Join(", ", Methods.Select(m => m.Name))}).");
        }
        if (MethodFractions.Count > 0 && Fractions is null)
            throw new ArgumentException("--method-fractions needs --fractions (the fractions of the other methods).");
        if (TrainRows is int rows && ValidationRows >= rows)
            throw new ArgumentException($"--validation-rows {ValidationRows} leaves no training rows out of --train-rows {rows}.");
        if (SelectOn == MetricSplit.Validation && ValidationRows == 0)
            throw new ArgumentException("--select-on validation needs a validation split: give --validation-rows N.");
        if (ReportCommit is not null && !ReportFromStore)
            throw new ArgumentException("--commit only applies to --report-from-store.");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
            throw new ArgumentException($"--lr must be positive; got {LearningRate}.");
    }

    private void AttachMethodOverrides(List<(string Method, string Field, string Value)> overrides)
    {
        foreach (var group in overrides.GroupBy(o => o.Method, StringComparer.OrdinalIgnoreCase))
        {
            int index = Methods.FindIndex(m => string.Equals(m.Name, group.Key, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new ArgumentException(
                    $"--set {group.Key}.…: '{group.Key}' is not among the methods run ({string.Join(", ", Methods.Select(m => m.Name))}), " +
                    $"nor '{TrainerPrefix}'.");
            }
            var settings = new Dictionary<string, string>(Methods[index].Overrides, StringComparer.OrdinalIgnoreCase);
            foreach (var (_, field, value) in group)
                settings[field] = value;
            Methods[index] = Methods[index] with { Overrides = settings };
            // Fail now rather than after hours of other methods' runs (a {fraction} placeholder must parse as a number).
            FractionSettings.ForFraction(Methods[index], FractionSettings.ValidationFraction).CreateFilterOptions(seed: 0, _ => { });
        }
    }

    /// <summary>Unknown trainer fields and bad values fail now, not at the first run that uses them (possibly hours in).</summary>
    private void CheckTrainerOverrides()
    {
        object Fresh() => Task == TranslationTask ? new TranslationTrainerOptions() : new ImageClassificationTrainerOptions();
        FieldSetter.Apply(Fresh(), TrainerOverrides, "the trainer");
        foreach (var method in Methods.Where(m => m.TrainerOverrides.Count > 0))
        {
            var trainer = Fresh();
            FieldSetter.Apply(trainer, TrainerOverrides, "the trainer");
            FieldSetter.Apply(trainer, method.TrainerOverrides, $"the trainer of {method.Name}");
        }
    }

    private void AttachMethodTrainerOverrides(List<(string Method, string Field, string Value)> overrides)
    {
        foreach (var group in overrides.GroupBy(o => o.Method, StringComparer.OrdinalIgnoreCase))
        {
            int index = Methods.FindIndex(m => string.Equals(m.Name, group.Key, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
                throw new ArgumentException($"--set {group.Key}.{TrainerPrefix}.…: '{group.Key}' is not among the methods run ({string.Join(", ", Methods.Select(m => m.Name))}).");
            var settings = new Dictionary<string, string>(Methods[index].TrainerOverrides, StringComparer.OrdinalIgnoreCase);
            foreach (var (_, field, value) in group)
                settings[field] = value;
            Methods[index] = Methods[index] with { TrainerOverrides = settings };
        }
    }

    /// <summary>Splits "owner.Field=value" at the '=' and at the last '.' before it.</summary>
    public static (string Owner, string Field, string Value) ParseSetting(string text)
    {
        int equals = text.IndexOf('=');
        int dot = equals < 0 ? -1 : text.LastIndexOf('.', equals);
        if (equals < 0 || dot <= 0 || dot == equals - 1)
            throw new ArgumentException($"--set '{text}': expected METHOD.Field=VALUE or {TrainerPrefix}.Field=VALUE.");
        return (text[..dot], text[(dot + 1)..equals], text[(equals + 1)..]);
    }

    /// <summary>docs/benchmarks in the repository that holds the current folder (found by AutoAssist.sln).</summary>
    public static string DefaultPublishDirectory()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AutoAssist.sln")))
                return Path.Combine(folder.FullName, "docs", "benchmarks");
        }
        throw new ArgumentException("--publish without a folder needs to run inside the repository (no AutoAssist.sln above the current folder).");
    }

    private static List<double> ParseFractions(string text, string option)
    {
        var fractions = SplitList(text, option).Select(part => ParseDouble(part, option)).ToList();
        if (fractions.Any(f => f <= 0))
            throw new ArgumentException($"Option {option}: every fraction of the reference budget must be positive; got {text}.");
        if (fractions.Distinct().Count() != fractions.Count)
            throw new ArgumentException($"Option {option}: {text} lists a fraction twice.");
        return fractions;
    }

    /// <summary>Parses "METHOD=f1,f2,...".</summary>
    private static (string Method, List<double> Fractions) ParseMethodFractions(string text)
    {
        int equals = text.IndexOf('=');
        if (equals <= 0)
            throw new ArgumentException($"--method-fractions '{text}': expected METHOD=LIST, e.g. uniform=0.5,0.7,1.0,1.5.");
        return (text[..equals].Trim(), ParseFractions(text[(equals + 1)..], "--method-fractions " + text[..equals].Trim()));
    }

    private static MetricSplit ParseSplit(string text)
    {
        if (Enum.TryParse(text, ignoreCase: true, out MetricSplit split) && Enum.IsDefined(split))
            return split;
        throw new ArgumentException($"Unknown --select-on '{text}'. Known: test, validation.");
    }

    private static ResNetArchitecture ParseArchitecture(string text)
    {
        if (Enum.TryParse(text.Replace("-", ""), ignoreCase: true, out ResNetArchitecture architecture) && Enum.IsDefined(architecture))
            return architecture;
        throw new ArgumentException(
            $"Unknown model '{text}'. Known: {string.Join(", ", Enum.GetNames<ResNetArchitecture>().Select(n => n.ToLowerInvariant()))}.");
    }

    private static LearningRateSchedule ParseSchedule(string text)
    {
        if (Enum.TryParse(text.Replace("-", ""), ignoreCase: true, out LearningRateSchedule schedule) && Enum.IsDefined(schedule))
            return schedule;
        throw new ArgumentException($"Unknown schedule '{text}'. Known: cosine, step-decay, constant.");
    }

    private static string[] SplitList(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            throw new ArgumentException($"Option {option} needs a comma-separated list.");
        return parts;
    }

    private static int ParseInt(string text, string option, int min)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new ArgumentException($"Option {option}: '{text}' is not an integer.");
        if (value < min)
            throw new ArgumentException($"Option {option}: {value} is below the minimum {min}.");
        return value;
    }

    private static double ParseDouble(string text, string option)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new ArgumentException($"Option {option}: '{text}' is not a number.");
        return value;
    }

    private static string Quote(string arg)
        => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_.,:=/+@%".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
