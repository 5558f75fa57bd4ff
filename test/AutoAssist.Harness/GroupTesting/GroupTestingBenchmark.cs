using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoAssist.Harness.Plotting;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace AutoAssist.Harness.GroupTesting;

/// <summary>
/// The neural group-testing benchmark (<c>--task group-testing</c>). Trains one binary ResNet per
/// design on groups of M training images ("is any member positive?") and one on single images (M = 1,
/// individual testing, the same network family), then screens rare-positive resamples of the
/// Fashion-MNIST test images with every design and algorithm. Each resample keeps every negative test
/// image and draws positives to the prevalence. Writes group-testing-fashion-mnist.json, .md, -runs.csv
/// and a plot of compute against prevalence.
/// </summary>
internal static class GroupTestingBenchmark
{
    public const string Stem = "group-testing-fashion-mnist";
    public const string Individual = "individual";

    public static int Run(string[] args, TextWriter log)
    {
        if (args.Contains("--help"))
        {
            log.WriteLine(GroupTestingBenchmarkOptions.Usage);
            return 0;
        }
        GroupTestingBenchmarkOptions o;
        try
        {
            o = GroupTestingBenchmarkOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var summary = Measure(o, log);
        Write(summary, o.Output);
        if (o.Publish is not null)
            Write(summary, o.Publish);
        return 0;
    }

    public static GroupTestingSummary Measure(GroupTestingBenchmarkOptions o, TextWriter log)
    {
        var loadStart = MachineInfo.LoadAverage();
        var ml = new MLContext(seed: o.Seed);
        // The trainer reports each epoch through ML.NET's log; a network trains for minutes, so show it.
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Info && e.Source.StartsWith("GroupTesting", StringComparison.Ordinal)
                && e.RawMessage.StartsWith("Epoch ", StringComparison.Ordinal))
                log.WriteLine($"    {e.RawMessage}");
        };
        var classes = o.PositiveClasses.ToHashSet();
        var trainData = FashionMnist.LoadData(FashionMnistSplit.Train, o.FashionDirectory);
        var testData = FashionMnist.LoadData(FashionMnistSplit.Test, o.FashionDirectory, o.TestRows);

        // Every training image at its natural prevalence (Resample keeps every negative, so asking for
        // the natural share draws every positive), in a shuffled order; the last rows are held out to
        // choose the group thresholds.
        int trainPositives = Enumerable.Range(0, trainData.Count).Count(i => classes.Contains(trainData.GetLabel(i)));
        var trainRows = RarePositiveTask.Resample(trainData, classes, (double)trainPositives / trainData.Count, o.Seed);
        if (o.ValidationRows >= trainRows.Count)
            throw new ArgumentException($"--validation-rows ({o.ValidationRows}) must leave training rows; the training set has {trainRows.Count}.");
        var validationRows = trainRows.TakeLast(o.ValidationRows).ToList();
        var fitRows = trainRows.Take(trainRows.Count - o.ValidationRows).Take(o.TrainRows ?? int.MaxValue).ToList();
        var train = ml.Data.LoadFromEnumerable(fitRows);
        var validation = ml.Data.LoadFromEnumerable(validationRows);
        log.WriteLine($"Group testing: positive classes {string.Join(",", o.PositiveClasses)}; " +
            $"{fitRows.Count} training rows ({100.0 * trainPositives / trainData.Count:F1} % positive), {validationRows.Count} held out; " +
            $"M = {o.GroupSize}; {o.Epochs} epochs; group networks {(o.ColdStart ? "from random weights" : "from the individual network")}.");

        var networks = new List<GroupTestingNetworkRecord>();
        var models = new Dictionary<string, GroupTestingTransformer>();
        // Individual testing: the same family trained on single rows, with as many rows per step (128) as the group networks.
        models[Individual] = Train(ml, train, GroupTestingDesign.PixelMerge, groupSize: 1, groupsPerBatch: 128, initial: null, o, networks, Individual, log);
        var thresholds = new Dictionary<GroupTestingDesign, float>();
        foreach (var design in o.Designs)
        {
            var model = Train(ml, train, design, o.GroupSize, groupsPerBatch: 8, o.ColdStart ? null : models[Individual], o, networks, design.ToString(), log);
            models[design.ToString()] = model;
            // Single rows (the retests) run on the individual network, as in the authors' code: the group
            // network has never seen a group of one. The threshold counts only the positives that the
            // individual network finds, since the retests lose the others whatever the group network does.
            // (The retesting view shares both networks, which the models dispose at the end.)
            var retesting = model.WithIndividualRetests(models[Individual]);
            thresholds[design] = retesting.CalibrateGroupThreshold(validation, o.GroupSensitivity, seed: o.Seed);
            networks[^1] = networks[^1] with { GroupThreshold = thresholds[design] };
            log.WriteLine($"  {design}: group threshold {thresholds[design]:F3} flags {o.GroupSensitivity:P0} of the held-out one-positive groups");
        }

        var arms = new List<(string Design, string Algorithm, GroupTestingTransformer Screening)>
        {
            (Individual, Individual, models[Individual]),
        };
        foreach (var design in o.Designs)
        {
            foreach (var algorithm in o.Algorithms)
            {
                var inference = new GroupTestingInferenceOptions { Algorithm = algorithm, GroupSize = o.GroupSize, Seed = o.Seed, GroupThreshold = thresholds[design] };
                arms.Add((design.ToString(), algorithm.ToString(),
                    ml.BinaryClassification.GroupTesting(models[design.ToString()], inference).WithIndividualRetests(models[Individual])));
            }
        }

        // One discarded pass of every arm pays for JIT compilation and cold caches before anything is timed.
        var warmUp = ml.Data.LoadFromEnumerable(RarePositiveTask.Resample(testData, classes, o.Prevalences.Max(), seed: 0).Take(512).ToList());
        foreach (var arm in arms)
            Screen(arm.Screening, warmUp);

        var runs = new List<GroupTestingRun>();
        foreach (double prevalence in o.Prevalences)
        {
            foreach (int seed in o.ResampleSeeds)
            {
                var rows = RarePositiveTask.Resample(testData, classes, prevalence, seed);
                var truth = rows.Select(r => r.Label).ToArray();
                var view = ml.Data.LoadFromEnumerable(rows);
                // Rotate the order by seed, so that no arm always runs first.
                int shift = seed % arms.Count;
                foreach (var arm in arms.Skip(shift).Concat(arms.Take(shift)))
                {
                    arm.Screening.Statistics.Reset();
                    var clock = Stopwatch.StartNew();
                    var predicted = Screen(arm.Screening, view);
                    double seconds = clock.Elapsed.TotalSeconds;
                    var statistics = arm.Screening.Statistics;
                    int tp = 0, fn = 0, fp = 0, tn = 0;
                    for (int i = 0; i < truth.Length; i++)
                    {
                        if (truth[i])
                        {
                            if (predicted[i]) tp++; else fn++;
                        }
                        else if (predicted[i]) fp++; else tn++;
                    }
                    runs.Add(new GroupTestingRun(arm.Design, arm.Algorithm, prevalence, seed, truth.Length, tp, fn, fp, tn,
                        statistics.RelativeCompute, statistics.ForwardPassesPerRow, statistics.MultiplyAccumulatesPerRow, seconds / truth.Length));
                }
                log.WriteLine($"  prevalence {prevalence:P2} resample {seed}: {truth.Length} rows, {truth.Count(t => t)} positive; " +
                    string.Join("; ", runs.TakeLast(arms.Count).OrderBy(r => r.Design).ThenBy(r => r.Algorithm)
                        .Select(r => $"{r.Design}/{r.Algorithm} {r.RelativeCompute:F3}x recall {r.TruePositives}/{r.TruePositives + r.FalseNegatives}")));
            }
        }
        foreach (var model in models.Values)
            model.Dispose();
        return GroupTestingSummary.Build(o, networks, runs, loadStart, MachineInfo.LoadAverage());
    }

    private static GroupTestingTransformer Train(MLContext ml, IDataView train, GroupTestingDesign design, int groupSize, int groupsPerBatch,
        GroupTestingTransformer? initial, GroupTestingBenchmarkOptions o, List<GroupTestingNetworkRecord> networks, string name, TextWriter log)
    {
        var options = new GroupTestingTrainerOptions
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Pixels",
            Design = design,
            GroupSize = groupSize,
            GroupsPerBatch = groupsPerBatch,
            Epochs = o.Epochs,
            Seed = o.Seed,
        };
        var clock = Stopwatch.StartNew();
        var model = ml.BinaryClassification.Trainers.GroupTestingResNet(options).Fit(train, initial);
        double seconds = clock.Elapsed.TotalSeconds;
        networks.Add(new GroupTestingNetworkRecord(name, design.ToString(), groupSize, groupsPerBatch, o.Epochs, seconds, initial is not null, null));
        log.WriteLine($"  trained {name} (M = {groupSize}) in {seconds:F0} s");
        return model;
    }

    /// <summary>Every row's decision, in the input's order (the whole view scored, batched as the transformer batches).</summary>
    private static bool[] Screen(GroupTestingTransformer screening, IDataView data)
        => screening.Transform(data).GetColumn<bool>(GroupTestingTransformer.PredictedLabelColumnName).ToArray();

    public static void Write(GroupTestingSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        string stem = Path.Combine(folder, Stem);
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(summary, SummaryJsonWriter.Options) + "\n");
        File.WriteAllText(stem + ".md", summary.ToMarkdown());
        File.WriteAllText(stem + "-runs.csv", summary.RunsCsv());
        File.WriteAllBytes(stem + "-compute.png", summary.ComputeChart().RenderPng());
    }
}

/// <summary>
/// A trained network: its design, group size, batch shape, epochs, training time, whether it started
/// from the individual network's weights, and the group threshold chosen for it (none for individual testing).
/// </summary>
internal sealed record GroupTestingNetworkRecord(string Name, string Design, int GroupSize, int GroupsPerBatch, int Epochs, double TrainingSeconds,
    bool StartedFromIndividual, float? GroupThreshold);

/// <summary>One arm on one resample of the test images.</summary>
internal sealed record GroupTestingRun(string Design, string Algorithm, double Prevalence, int Seed, int Rows,
    int TruePositives, int FalseNegatives, int FalsePositives, int TrueNegatives,
    double RelativeCompute, double ForwardPassesPerRow, double MultiplyAccumulatesPerRow, double SecondsPerRow);

/// <summary>One arm at one prevalence over every resample: recall and false-positive rate pool the rows of all resamples.</summary>
internal sealed record GroupTestingArmSummary(string Design, string Algorithm, double Prevalence, int Resamples, int Rows, int Positives,
    Spread RelativeCompute, Spread ForwardPassesPerRow, Spread MicrosecondsPerRow,
    double WallClockRatioToIndividual, double Recall, double FalsePositiveRate, double IndividualRecall, bool RecallAtLeastIndividual);

/// <summary>The benchmark's result.</summary>
internal sealed record GroupTestingSummary(
    string Task, string Dataset, string Command, string Date, string Machine, string Commit, bool Dirty,
    IReadOnlyList<double>? LoadAverageStart, IReadOnlyList<double>? LoadAverageEnd,
    IReadOnlyDictionary<string, string> Settings, IReadOnlyList<GroupTestingNetworkRecord> Networks,
    IReadOnlyList<GroupTestingArmSummary> Arms,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<GroupTestingRun> Runs)
{
    public static GroupTestingSummary Build(GroupTestingBenchmarkOptions o, IReadOnlyList<GroupTestingNetworkRecord> networks,
        IReadOnlyList<GroupTestingRun> runs, IReadOnlyList<double>? loadStart, IReadOnlyList<double>? loadEnd)
    {
        static double Rate(int hits, int total) => total == 0 ? double.NaN : (double)hits / total;
        // The spread over the resamples (every arm has at least one).
        static Spread Over(IEnumerable<double> values) => Spread.Of(values) ?? new Spread(double.NaN, double.NaN, double.NaN);
        var arms = new List<GroupTestingArmSummary>();
        foreach (var prevalence in runs.GroupBy(r => r.Prevalence))
        {
            var individual = prevalence.Where(r => r.Design == GroupTestingBenchmark.Individual).ToList();
            double individualRecall = Rate(individual.Sum(r => r.TruePositives), individual.Sum(r => r.TruePositives + r.FalseNegatives));
            double individualSeconds = individual.Average(r => r.SecondsPerRow);
            foreach (var arm in prevalence.GroupBy(r => (r.Design, r.Algorithm)))
            {
                var list = arm.ToList();
                int positives = list.Sum(r => r.TruePositives + r.FalseNegatives);
                double recall = Rate(list.Sum(r => r.TruePositives), positives);
                arms.Add(new GroupTestingArmSummary(arm.Key.Design, arm.Key.Algorithm, prevalence.Key, list.Count, list.Sum(r => r.Rows), positives,
                    Over(list.Select(r => r.RelativeCompute)),
                    Over(list.Select(r => r.ForwardPassesPerRow)),
                    Over(list.Select(r => r.SecondsPerRow * 1e6)),
                    list.Average(r => r.SecondsPerRow) / individualSeconds,
                    recall,
                    Rate(list.Sum(r => r.FalsePositives), list.Sum(r => r.FalsePositives + r.TrueNegatives)),
                    individualRecall,
                    recall >= individualRecall));
            }
        }
        var settings = new Dictionary<string, string>
        {
            ["positive_classes"] = string.Join(",", o.PositiveClasses),
            ["prevalences"] = string.Join(",", o.Prevalences.Select(p => p.ToString(CultureInfo.InvariantCulture))),
            ["group_size"] = o.GroupSize.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
            ["resample_seeds"] = string.Join(",", o.ResampleSeeds),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["train_rows"] = o.TrainRows?.ToString(CultureInfo.InvariantCulture) ?? "all but the held-out rows",
            ["validation_rows"] = o.ValidationRows.ToString(CultureInfo.InvariantCulture),
            ["group_sensitivity"] = o.GroupSensitivity.ToString(CultureInfo.InvariantCulture),
            ["group_threshold"] = "per group network: flags group_sensitivity of the held-out one-positive groups (each held-out positive the individual network finds, with M - 1 random held-out negatives); multi-round's sub-groups use the same threshold",
            ["group_networks_start_from"] = o.ColdStart ? "random weights" : "the individual network's weights",
            ["test_images"] = o.TestRows?.ToString(CultureInfo.InvariantCulture) ?? "all",
            ["network"] = "ResNet-8, width 1, binary head; Adam 1e-3; half the training groups hold a planted positive (half of those exactly one); the held-out rows are the last of the shuffled training set",
            ["individual"] = "the same family trained on single rows (M = 1, 128 rows per step); screening tests each row once; the group designs also test every single row (their retests) on it",
            ["test_data"] = "each resample: every negative test image plus positives drawn without replacement to the prevalence, shuffled",
            ["compute"] = "multiply-accumulates of the forward passes spent, over those of testing every row individually",
            ["wall_clock"] = "Transform and read every PredictedLabel of the resample, batched as the transformer batches; after one discarded pass of every arm",
        };
        var version = SourceVersion.Detect();
        return new GroupTestingSummary("group-testing", "fashion-mnist", o.CommandLine,
            DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), MachineInfo.Describe(), version.Commit, version.Dirty,
            loadStart, loadEnd, settings, networks, arms, runs);
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Neural group testing on rare-positive Fashion-MNIST").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Commit {Commit}{(Dirty ? " (with uncommitted changes)" : "")}, {Date}, {Machine}  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Load average at start {Load(LoadAverageStart)}, at end {Load(LoadAverageEnd)}  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Command}`").AppendLine();
        md.AppendLine("| network | M | rows per step | epochs | starts from | training s | group threshold |").AppendLine("|---|---:|---:|---:|---|---:|---:|");
        foreach (var n in Networks)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {n.Name} | {n.GroupSize} | {n.GroupSize * n.GroupsPerBatch} | {n.Epochs} | {(n.StartedFromIndividual ? "individual" : "random")} | {n.TrainingSeconds:F0} | {(n.GroupThreshold is float t ? t.ToString("F3", CultureInfo.InvariantCulture) : "")} |");
        }
        foreach (var prevalence in Arms.GroupBy(a => a.Prevalence))
        {
            var first = prevalence.First();
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"## Prevalence {prevalence.Key:P1} ({first.Resamples} resamples, {first.Rows} rows, {first.Positives} positives in all)").AppendLine();
            md.AppendLine("| design | algorithm | compute vs individual (mean, min-max) | forward passes per row | µs per row | wall-clock vs individual | recall | false-positive rate |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
            foreach (var a in prevalence.OrderBy(a => a.Design == GroupTestingBenchmark.Individual ? 0 : 1).ThenBy(a => a.Design).ThenBy(a => a.Algorithm))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {a.Design} | {a.Algorithm} | {a.RelativeCompute.Mean:F3} ({a.RelativeCompute.Min:F3}-{a.RelativeCompute.Max:F3}) | {a.ForwardPassesPerRow.Mean:F3} | " +
                    $"{a.MicrosecondsPerRow.Mean:F0} | {a.WallClockRatioToIndividual:F2} | {a.Recall:P1} | {a.FalsePositiveRate:P2} |");
            }
        }
        md.AppendLine().AppendLine("Settings:").AppendLine();
        foreach (var (key, value) in Settings)
            md.AppendLine(CultureInfo.InvariantCulture, $"- `{key}`: {value}");
        return md.ToString();
    }

    private static string Load(IReadOnlyList<double>? load) => load is null ? "unknown" : string.Join(", ", load.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));

    public string RunsCsv()
    {
        var csv = new StringBuilder("design,algorithm,prevalence,seed,rows,true_positives,false_negatives,false_positives,true_negatives,relative_compute,forward_passes_per_row,multiply_accumulates_per_row,seconds_per_row\n");
        foreach (var r in Runs)
        {
            csv.AppendJoin(',', r.Design, r.Algorithm, F(r.Prevalence), r.Seed, r.Rows, r.TruePositives, r.FalseNegatives, r.FalsePositives, r.TrueNegatives,
                F(r.RelativeCompute), F(r.ForwardPassesPerRow), F(r.MultiplyAccumulatesPerRow), F(r.SecondsPerRow)).Append('\n');
        }
        return csv.ToString();
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Compute against individual testing by prevalence: one line per design and algorithm, the resamples' spread as bars.</summary>
    public LineChart ComputeChart()
    {
        var chart = new LineChart
        {
            Title = "Neural group testing: compute per row against individual testing",
            XLabel = "prevalence of positives, %",
            YLabel = "compute / individual testing's",
            ReferenceLine = (1.0, "individual testing"),
        };
        foreach (var arm in Arms.Where(a => a.Design != GroupTestingBenchmark.Individual).GroupBy(a => $"{a.Design} / {a.Algorithm}"))
        {
            var points = arm.OrderBy(a => a.Prevalence).ToList();
            chart.Series.Add(new ChartSeries(arm.Key, [points.Select(a => (a.Prevalence * 100, a.RelativeCompute.Mean)).ToList()])
            {
                Points = points.Select(a => new SpreadPoint(a.Prevalence * 100, a.Prevalence * 100, a.Prevalence * 100,
                    a.RelativeCompute.Mean, a.RelativeCompute.Min, a.RelativeCompute.Max)).ToList(),
            });
        }
        return chart;
    }
}
