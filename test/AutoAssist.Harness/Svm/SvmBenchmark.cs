using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoAssist.Harness.Plotting;
using AutoAssist.Harness.Reporting;
using AutoAssist.Harness.Running;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Svm;

/// <summary>
/// The linear SVM benchmark (<c>--task svm</c>): for each data set, the reference optimum f*, then
/// for each seed every method (the order rotating by seed), each measured by its primal objective
/// gap (f − f*)/f* and test accuracy against time and rows visited. Writes svm-&lt;dataset&gt;.json,
/// .md, -runs.csv and four plots.
/// </summary>
internal static class SvmBenchmark
{
    public static int Run(string[] args, TextWriter log)
    {
        if (args.Contains("--help"))
        {
            log.WriteLine(SvmBenchmarkOptions.Usage);
            return 0;
        }
        SvmBenchmarkOptions o;
        try
        {
            o = SvmBenchmarkOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        Directory.CreateDirectory(o.Output);
        foreach (string name in o.Datasets)
        {
            var summary = RunDataset(name, o, log);
            Write(summary, o.Output);
            if (o.Publish is not null)
            {
                Directory.CreateDirectory(o.Publish);
                Write(summary, o.Publish);
            }
        }
        return 0;
    }

    private static SvmSummary RunDataset(string name, SvmBenchmarkOptions o, TextWriter log)
    {
        var loadStart = MachineInfo.LoadAverage();
        var ml = new MLContext(seed: 1);
        var data = SvmDatasets.Load(name, ml, o.FashionDirectory, o.CorpusPath);
        var train = SvmDatasets.ToDataView(ml, data.Train);
        int n = data.Train.Count;
        double lambda = 1.0 / (o.Cost * n);
        log.WriteLine($"{name}: {n} training rows, {data.Test.Count} test rows, {data.Train.InputFeatureCount} features, " +
            $"{(double)data.Train.Values.Length / n:F1} non-zeros per row (bias included); λ = {lambda:G4}");

        // What the public trainer pays before its first step: reading the data view into its rows.
        // The fastest of three reads, so that JIT compilation of the first is not counted (ML.NET's
        // trainers are measured warm too: every Fit after the first runs compiled code).
        double readSeconds = double.PositiveInfinity;
        for (int r = 0; r < 3; r++)
        {
            var readClock = Stopwatch.StartNew();
            SvmRows.Read(train, "Label", "Features", 1, CancellationToken.None);
            readSeconds = Math.Min(readSeconds, readClock.Elapsed.TotalSeconds);
        }

        var reference = Reference(data, train, o, lambda, log);
        var runs = new List<SvmRun>();
        var methods = o.Methods.Where(m => o.Loss == SvmLoss.Hinge || SvmMethods.Pegasos.Contains(m)).ToList();
        for (int s = 0; s < o.Seeds.Count; s++)
        {
            int seed = o.Seeds[s];
            // Rotate the order by seed, so that no method always runs first (JIT, cold caches).
            foreach (string method in methods.Skip(s % methods.Count).Concat(methods.Take(s % methods.Count)))
            {
                var clock = Stopwatch.StartNew();
                var run = method switch
                {
                    SvmMethods.MlNetLinearSvm => SvmMethods.RunLinearSvm(data, train, seed, o, lambda),
                    SvmMethods.MlNetSdca => SvmMethods.RunSdca(data, train, seed, o, lambda),
                    _ => SvmMethods.RunPegasos(data, method, seed, o, readSeconds),
                };
                runs.Add(run);
                var last = run.Curve[^1];
                log.WriteLine($"  seed {seed} {method,-20} objective {last.Objective:G8}  accuracy {last.TestAccuracy:F4}  " +
                    $"{last.Seconds:F2} s timed, {clock.Elapsed.TotalSeconds:F1} s with measurements");
            }
        }

        double optimum = Math.Min(reference.Optimum, runs.SelectMany(r => r.Curve).Min(p => p.Objective));
        return SvmSummary.Build(data, o, lambda, readSeconds, reference with { Optimum = optimum }, runs, loadStart, MachineInfo.LoadAverage());
    }

    /// <summary>f*: the lower of a long dual coordinate descent run and a long SDCA run (hinge only).</summary>
    private static SvmReference Reference(SvmDataset data, IDataView train, SvmBenchmarkOptions o, double lambda, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var (w, epochs) = DualCoordinateDescent.Solve(data.Train, o.Cost, o.Loss, tolerance: 1e-6, maxEpochs: 3000, seed: 1);
        double dual = PegasosSolver.PrimalObjective(data.Train, w, lambda, o.Loss);
        log.WriteLine($"  reference: dual coordinate descent {epochs} epochs, f = {dual:G10} ({clock.Elapsed.TotalSeconds:F1} s)");
        double? sdca = null;
        if (o.Loss == SvmLoss.Hinge)
        {
            clock.Restart();
            var model = SvmMethods.Sdca(new MLContext(seed: 1), train, lambda, iterations: 500, tolerance: 1e-7f);
            sdca = PegasosSolver.PrimalObjective(data.Train, SvmMethods.Weights(model), lambda, o.Loss);
            log.WriteLine($"  reference: SDCA 500 iterations (tolerance 1e-7), f = {sdca:G10} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        return new SvmReference(Math.Min(dual, sdca ?? double.PositiveInfinity), dual, epochs, sdca);
    }

    private static void Write(SvmSummary summary, string folder)
    {
        string stem = Path.Combine(folder, $"svm-{summary.Dataset}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(summary, SummaryJsonWriter.Options) + "\n");
        File.WriteAllText(stem + ".md", summary.ToMarkdown());
        File.WriteAllText(stem + "-runs.csv", summary.RunsCsv());
        foreach (var (suffix, chart) in SvmPlots.All(summary))
            File.WriteAllBytes(stem + suffix, chart.RenderPng());
    }
}

/// <summary>The reference optimum and how it was found.</summary>
internal sealed record SvmReference(double Optimum, double DualCoordinateDescentObjective, int DualCoordinateDescentEpochs, double? SdcaObjective);

/// <summary>A min–max spread over seeds; null where no seed had a value.</summary>
internal sealed record SvmSpread(double Mean, double Min, double Max)
{
    public static SvmSpread? Of(IEnumerable<double?> values)
    {
        var list = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return list.Count == 0 ? null : new SvmSpread(list.Average(), list.Min(), list.Max());
    }
}

/// <summary>One method's figures over its seeds.</summary>
internal sealed record SvmMethodSummary(
    string Method, int Seeds, int SeedsReachingTarget,
    SvmSpread? SecondsToTarget, SvmSpread? EpochsVisitedToTarget, SvmSpread? UpdatesToTarget,
    double? TimeRatioToUniform, double? TimeRatioToLinearSvm, double? TimeRatioToSdca,
    SvmSpread? FinalGap, SvmSpread? FinalTestAccuracy, SvmSpread? FinalSeconds, SvmSpread? RateSlope);

/// <summary>The benchmark's result on one data set.</summary>
internal sealed record SvmSummary(
    string Task, string Dataset, string Description, string Command, string Date, string Machine, string Commit, bool Dirty,
    IReadOnlyList<double>? LoadAverageStart, IReadOnlyList<double>? LoadAverageEnd,
    int TrainRows, int TestRows, int Features, double NonZerosPerRow, double Lambda, double TargetGap,
    SvmReference Reference, double ReadSeconds, IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<SvmMethodSummary> Methods, [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<SvmRun> Runs)
{
    public static SvmSummary Build(SvmDataset data, SvmBenchmarkOptions o, double lambda, double readSeconds, SvmReference reference,
        IReadOnlyList<SvmRun> runs, IReadOnlyList<double>? loadStart, IReadOnlyList<double>? loadEnd)
    {
        double f = reference.Optimum;
        int n = data.Train.Count;
        double Gap(SvmPoint p) => (p.Objective - f) / f;
        (double Seconds, double Visited, double Updates)? ToTarget(SvmRun run)
        {
            for (int i = 0; i < run.Curve.Count; i++)
            {
                if (Gap(run.Curve[i]) > o.TargetGap)
                    continue;
                if (i == 0)
                    return (run.Curve[0].Seconds, run.Curve[0].Visited, run.Curve[0].Updates);
                // Linear in log(gap) between the measurement before and this one.
                var (a, b) = (run.Curve[i - 1], run.Curve[i]);
                double la = Math.Log(Math.Max(Gap(a), 1e-300)), lb = Math.Log(Math.Max(Gap(b), 1e-300)), lt = Math.Log(o.TargetGap);
                double t = la == lb ? 1 : Math.Clamp((la - lt) / (la - lb), 0, 1);
                return (a.Seconds + t * (b.Seconds - a.Seconds), a.Visited + t * (b.Visited - a.Visited), a.Updates + t * (b.Updates - a.Updates));
            }
            return null;
        }

        var perMethod = runs.GroupBy(r => r.Method).Select(g => (Method: g.Key, Runs: g.ToList(), Targets: g.Select(ToTarget).ToList())).ToList();
        double? MeanSeconds(string method)
            => perMethod.Where(m => m.Method == method).Select(m => SvmSpread.Of(m.Targets.Select(t => t?.Seconds))?.Mean).FirstOrDefault();
        double? Ratio(double? a, double? b) => a is double x && b is double y && y > 0 ? x / y : null;

        var methods = perMethod.Select(m =>
        {
            var seconds = SvmSpread.Of(m.Targets.Select(t => t?.Seconds));
            bool pegasos = SvmMethods.Pegasos.Contains(m.Method);
            return new SvmMethodSummary(m.Method, m.Runs.Count, m.Targets.Count(t => t is not null),
                seconds,
                SvmSpread.Of(m.Targets.Select(t => t?.Visited / n)),
                SvmSpread.Of(m.Targets.Select(t => t?.Updates / n)),
                Ratio(seconds?.Mean, MeanSeconds(SvmMethods.Uniform)),
                Ratio(seconds?.Mean, MeanSeconds(SvmMethods.MlNetLinearSvm)),
                Ratio(seconds?.Mean, MeanSeconds(SvmMethods.MlNetSdca)),
                SvmSpread.Of(m.Runs.Select(r => (double?)Gap(r.Curve[^1]))),
                SvmSpread.Of(m.Runs.Select(r => (double?)r.Curve[^1].TestAccuracy)),
                SvmSpread.Of(m.Runs.Select(r => (double?)r.Curve[^1].Seconds)),
                pegasos ? SvmSpread.Of(m.Runs.Select(r => RateSlope(r, f, n))) : null);
        }).ToList();

        var settings = new Dictionary<string, string>
        {
            ["cost"] = o.Cost.ToString("R", CultureInfo.InvariantCulture),
            ["lambda"] = "1/(C n)",
            ["loss"] = o.Loss.ToString(),
            ["epochs"] = o.Epochs.ToString(CultureInfo.InvariantCulture),
            ["grid_factor"] = o.GridFactor.ToString("R", CultureInfo.InvariantCulture),
            ["seeds"] = string.Join(",", o.Seeds),
            ["methods"] = string.Join(",", o.Methods),
            ["target_gap"] = o.TargetGap.ToString("R", CultureInfo.InvariantCulture),
            ["pegasos"] = "step 1/(lambda (t + 100)), t = rows visited; projection onto radius 1/sqrt(lambda) (hinge) or sqrt(2/lambda) (squared hinge); bias feature 1 (regularised)",
            ["shrinking"] = "keep if u1 < 0.3 or u2 < g - 1/(t + 1), g = ||x|| while the hinge is active, else 0; no re-weighting",
            ["importance"] = "alias table rebuilt at each epoch's start; the loss's step scaled by 1/(n p)",
            ["mlnet_linearsvm"] = "LinearSvmTrainer.Options { Lambda = lambda, NoBias = true (bias feature in the features), NumberOfIterations = k }, other options default",
            ["mlnet_sdca"] = "SdcaNonCalibrated { HingeLoss, L2Regularization = lambda, L1Regularization = 0, NumberOfThreads = 1, MaximumNumberOfIterations = k, ConvergenceTolerance = 1e-12 }; its bias folded into the bias feature's weight",
            ["mlnet_iteration_counts"] = string.Join(",", SvmMethods.IterationCounts(o.Epochs)),
            ["time"] = "Pegasos: solver time with measurements excluded, plus the time to read the data view into rows (read_seconds, the fastest of three reads); ML.NET: Fit time on a cached in-memory data view, trained afresh for each iteration count",
            ["reference"] = "f* = min(dual coordinate descent to a projected-gradient violation < 1e-6 (at most 3000 epochs), SDCA 500 iterations, every measured objective)",
        };
        var version = SourceVersion.Detect();
        return new SvmSummary("svm", data.Name, data.Description, o.CommandLine, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            MachineInfo.Describe(), version.Commit, version.Dirty, loadStart, loadEnd,
            n, data.Test.Count, data.Train.InputFeatureCount, (double)data.Train.Values.Length / n, lambda, o.TargetGap,
            reference, readSeconds, settings, methods, runs);
    }

    /// <summary>
    /// Least-squares slope of log(gap) against log(k), k the rows visited, over the measurements from
    /// the second epoch on (the O(1/k) regime, past the start-up transient); −1 is O(1/k).
    /// </summary>
    public static double? RateSlope(SvmRun run, double optimum, int n)
    {
        var points = run.Curve.Where(p => p.Visited >= 2L * n && p.Objective > optimum)
            .Select(p => (X: Math.Log(p.Visited), Y: Math.Log((p.Objective - optimum) / optimum))).ToList();
        if (points.Count < 3)
            return null;
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxy = points.Sum(p => (p.X - mx) * (p.Y - my)), sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx > 0 ? sxy / sxx : null;
    }

    public string RunsCsv()
    {
        var csv = new StringBuilder("dataset,method,seed,seconds,visited,updates,objective,relative_gap,test_accuracy\n");
        foreach (var run in Runs)
            foreach (var p in run.Curve)
                csv.Append(CultureInfo.InvariantCulture,
                    $"{run.Dataset},{run.Method},{run.Seed},{p.Seconds:G6},{p.Visited},{p.Updates},{p.Objective:R},{(p.Objective - Reference.Optimum) / Reference.Optimum:G6},{p.TestAccuracy:G6}\n");
        return csv.ToString();
    }

    public string ToMarkdown()
    {
        static string S(SvmSpread? s, string format) => s is null ? "–" : $"{s.Mean.ToString(format, CultureInfo.InvariantCulture)} ({s.Min.ToString(format, CultureInfo.InvariantCulture)}–{s.Max.ToString(format, CultureInfo.InvariantCulture)})";
        static string R(double? r) => r is double v ? v.ToString("F2", CultureInfo.InvariantCulture) : "–";
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Linear SVM: {Dataset}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{Description}. {TrainRows} training rows, {TestRows} test rows, {Features} features, {NonZerosPerRow:F1} non-zeros per row (bias feature included).");
        md.AppendLine(CultureInfo.InvariantCulture, $"λ = {Lambda:G4}; f* = {Reference.Optimum:G10} (dual CD {Reference.DualCoordinateDescentObjective:G10} after {Reference.DualCoordinateDescentEpochs} epochs; SDCA {(Reference.SdcaObjective is double d ? d.ToString("G10", CultureInfo.InvariantCulture) : "–")}). Target: relative gap ≤ {TargetGap:G3}.");
        md.AppendLine();
        md.AppendLine("Times are mean (min–max) over seeds of those that reached the target; ratios divide means.");
        md.AppendLine();
        md.AppendLine("| method | seeds at target | seconds to target | epochs visited to target | epochs of updates to target | ratio to uniform | to ML.NET LinearSvm | to SDCA | final gap | final test accuracy | rate slope (log gap / log k) |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var m in Methods)
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Method} | {m.SeedsReachingTarget}/{m.Seeds} | {S(m.SecondsToTarget, "F2")} | {S(m.EpochsVisitedToTarget, "F1")} | {S(m.UpdatesToTarget, "F1")} | {R(m.TimeRatioToUniform)} | {R(m.TimeRatioToLinearSvm)} | {R(m.TimeRatioToSdca)} | {S(m.FinalGap, "G3")} | {S(m.FinalTestAccuracy, "F4")} | {S(m.RateSlope, "F2")} |");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Command}`  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Commit {Commit}{(Dirty ? " (with uncommitted changes)" : "")}, {Date}, {Machine}  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Load average at start {Load(LoadAverageStart)}, at end {Load(LoadAverageEnd)}; reading the data view into rows: {ReadSeconds:F3} s  ");
        md.AppendLine();
        md.AppendLine("Settings:");
        md.AppendLine();
        foreach (var (key, value) in Settings)
            md.AppendLine(CultureInfo.InvariantCulture, $"- {key}: {value}");
        md.AppendLine();
        foreach (var (suffix, _) in SvmPlots.All(this))
            md.AppendLine(CultureInfo.InvariantCulture, $"![{suffix}](svm-{Dataset}{suffix})");
        return md.ToString();
    }

    private static string Load(IReadOnlyList<double>? load)
        => load is null ? "unknown" : string.Join(" ", load.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)));
}

/// <summary>The benchmark's plots, log10 of the relative gap being the y of three of them.</summary>
internal static class SvmPlots
{
    public static IEnumerable<(string Suffix, LineChart Chart)> All(SvmSummary s)
    {
        double f = s.Reference.Optimum;
        double LogGap(SvmPoint p) => Math.Log10(Math.Max((p.Objective - f) / f, 1e-9));
        string title = $"{s.Dataset}, C = {s.Settings["cost"]}, {s.Settings["loss"]}";
        yield return ("-gap-vs-time.png", Chart(s, $"Objective gap against time: {title}", "seconds", "log10 relative objective gap",
            p => p.Seconds, LogGap, Math.Log10(s.TargetGap)));
        yield return ("-gap-vs-visits.png", Chart(s, $"Objective gap against rows visited: {title}", "rows visited / n (epochs)", "log10 relative objective gap",
            p => (double)p.Visited / s.TrainRows, LogGap, Math.Log10(s.TargetGap)));
        yield return ("-accuracy-vs-time.png", Chart(s, $"Test accuracy against time: {title}", "seconds", "test accuracy",
            p => p.Seconds, p => p.TestAccuracy, null));
        var rate = new LineChart
        {
            Title = $"O(1/k): log gap against log k (rows visited), {title}",
            XLabel = "log10 k",
            YLabel = "log10 relative objective gap",
        };
        foreach (var m in s.Methods.Where(m => SvmMethods.Pegasos.Contains(m.Method)))
        {
            var lines = s.Runs.Where(r => r.Method == m.Method)
                .Select(r => (IReadOnlyList<(double, double)>)r.Curve.Where(p => p.Visited > 0).Select(p => (Math.Log10(p.Visited), LogGap(p))).ToList()).ToList();
            string slope = m.RateSlope is null ? "" : $", slope {m.RateSlope.Mean:F2}";
            rate.Series.Add(new ChartSeries($"{m.Method}{slope}", lines));
        }
        yield return ("-rate.png", rate);
    }

    private static LineChart Chart(SvmSummary s, string title, string xLabel, string yLabel, Func<SvmPoint, double> x, Func<SvmPoint, double> y, double? reference)
    {
        var chart = new LineChart
        {
            Title = title,
            XLabel = xLabel,
            YLabel = yLabel,
            ReferenceLine = reference is double r ? (r, "target") : null,
        };
        foreach (var group in s.Runs.GroupBy(r => r.Method))
            chart.Series.Add(new ChartSeries($"{group.Key} ({group.Count()} seeds)",
                group.Select(r => (IReadOnlyList<(double, double)>)r.Curve.Select(p => (x(p), y(p))).ToList()).ToList()));
        return chart;
    }
}
