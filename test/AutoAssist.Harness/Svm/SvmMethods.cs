using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;
using Microsoft.ML.Trainers;

namespace AutoAssist.Harness.Svm;

/// <summary>One measurement of a run: time, rows visited and updated, primal objective, test accuracy.</summary>
internal sealed record SvmPoint(double Seconds, long Visited, long Updates, double Objective, double TestAccuracy);

/// <summary>One method's run on one data set with one seed.</summary>
internal sealed record SvmRun(string Dataset, string Method, int Seed, IReadOnlyList<SvmPoint> Curve);

/// <summary>The compared methods and how each is run and measured.</summary>
internal static class SvmMethods
{
    public const string Uniform = "uniform";
    public const string LossImportance = "loss-importance";
    public const string GradientImportance = "gradient-importance";
    public const string Shrinking = "shrinking";
    public const string MlNetLinearSvm = "mlnet-linearsvm";
    public const string MlNetSdca = "mlnet-sdca";
    public static readonly string[] All = [Uniform, LossImportance, GradientImportance, Shrinking, MlNetLinearSvm, MlNetSdca];
    public static readonly string[] Pegasos = [Uniform, LossImportance, GradientImportance, Shrinking];

    public static SvmInstanceSelection Selection(string method) => method switch
    {
        Uniform => SvmInstanceSelection.Uniform,
        LossImportance => SvmInstanceSelection.LossImportance,
        GradientImportance => SvmInstanceSelection.GradientNormImportance,
        Shrinking => SvmInstanceSelection.AutoAssistShrinking,
        _ => throw new ArgumentException($"'{method}' is not a Pegasos method."),
    };

    /// <summary>Test accuracy of w (bias feature included) on the test rows.</summary>
    public static double Accuracy(SvmRows test, double[] weights)
    {
        int correct = 0;
        for (int i = 0; i < test.Count; i++)
            if (test.Labels[i] * test.Dot(weights, i) > 0)
                correct++;
        return (double)correct / test.Count;
    }

    /// <summary>
    /// Our Pegasos, measured at rows visited on a geometric grid (<see cref="VisitGrid"/>) with the
    /// clock stopped. The clock starts at <paramref name="readSeconds"/>, the time the trainer takes to
    /// read the data view into its rows, which ML.NET's trainers pay inside their Fit.
    /// </summary>
    public static SvmRun RunPegasos(SvmDataset data, string method, int seed, SvmBenchmarkOptions o, double readSeconds)
    {
        var options = new ShrinkingSvmTrainerOptions { Selection = Selection(method), Loss = o.Loss, Cost = o.Cost };
        var solver = ShrinkingSvmTrainer.CreateSolver(data.Train, options, seed);
        var curve = new List<SvmPoint> { Measure(data, solver.Weights(), solver.Lambda, o.Loss, readSeconds, 0, 0) };
        var clock = new Stopwatch();
        foreach (long until in VisitGrid(data.Train.Count, o.Epochs, o.GridFactor))
        {
            clock.Start();
            solver.Run(until - solver.Visited);
            clock.Stop();
            curve.Add(Measure(data, solver.Weights(), solver.Lambda, o.Loss, readSeconds + clock.Elapsed.TotalSeconds, solver.Visited, solver.Updates));
        }
        return new SvmRun(data.Name, method, seed, curve);
    }

    /// <summary>
    /// Rows visited at which a Pegasos run is measured: from a quarter epoch, each <paramref name="factor"/>
    /// times the last (evenly spaced on the log-log plot, and few enough that measuring costs little),
    /// ending at <paramref name="epochs"/>·n.
    /// </summary>
    public static IReadOnlyList<long> VisitGrid(int n, int epochs, double factor)
    {
        var grid = new List<long>();
        long end = (long)epochs * n;
        for (double v = n / 4.0; v < end; v *= factor)
            if (grid.Count == 0 || (long)v > grid[^1])
                grid.Add((long)v);
        grid.Add(end);
        return grid;
    }

    /// <summary>Iteration counts ML.NET's trainers are run for: about 1.5× apart, up to the epoch budget.</summary>
    public static IReadOnlyList<int> IterationCounts(int epochs)
    {
        var counts = new SortedSet<int>();
        for (double k = 1; k <= epochs; k *= 1.5)
            counts.Add((int)Math.Round(k));
        counts.Add(epochs);
        return [.. counts];
    }

    /// <summary>
    /// ML.NET's LinearSvm (also Pegasos) with λ = 1/(C·n) and no bias of its own (the bias feature is
    /// in the features), trained afresh for each iteration count, Fit timed.
    /// </summary>
    public static SvmRun RunLinearSvm(SvmDataset data, IDataView train, int seed, SvmBenchmarkOptions o, double lambda)
        => RunMlNet(data, MlNetLinearSvm, seed, o, lambda, (ml, k) => ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options
        {
            Lambda = (float)lambda,
            NoBias = true,
            NumberOfIterations = k,
        }).Fit(train).Model, train);

    /// <summary>
    /// ML.NET's SdcaNonCalibrated with the hinge loss, L2 weight λ, no L1, one thread, trained afresh
    /// for each iteration count with a tolerance too small to stop it early, Fit timed.
    /// </summary>
    public static SvmRun RunSdca(SvmDataset data, IDataView train, int seed, SvmBenchmarkOptions o, double lambda)
        => RunMlNet(data, MlNetSdca, seed, o, lambda, (ml, k) => Sdca(ml, train, lambda, k, tolerance: 1e-12f), train);

    public static LinearBinaryModelParameters Sdca(MLContext ml, IDataView train, double lambda, int iterations, float tolerance)
        => ml.BinaryClassification.Trainers.SdcaNonCalibrated(new SdcaNonCalibratedBinaryTrainer.Options
        {
            LossFunction = new HingeLoss(),
            L2Regularization = (float)lambda,
            L1Regularization = 0,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = iterations,
            ConvergenceTolerance = tolerance,
        }).Fit(train).Model;

    /// <summary>
    /// A linear model's weights in our layout: its feature weights (the last one the bias feature's,
    /// of value 1) with its own bias added to the bias feature's weight, so that it scores as before.
    /// </summary>
    public static double[] Weights(LinearBinaryModelParameters model)
    {
        var w = model.Weights.Select(v => (double)v).ToArray();
        w[^1] += model.Bias;
        return w;
    }

    private static SvmRun RunMlNet(SvmDataset data, string method, int seed, SvmBenchmarkOptions o, double lambda,
        Func<MLContext, int, LinearBinaryModelParameters> fit, IDataView train)
    {
        long n = data.Train.Count;
        var curve = new List<SvmPoint> { Measure(data, new double[data.Train.WeightCount], lambda, o.Loss, 0, 0, 0) };
        foreach (int k in IterationCounts(o.Epochs))
        {
            var ml = new MLContext(seed);
            var clock = Stopwatch.StartNew();
            var model = fit(ml, k);
            clock.Stop();
            curve.Add(Measure(data, Weights(model), lambda, o.Loss, clock.Elapsed.TotalSeconds, k * n, k * n));
        }
        return new SvmRun(data.Name, method, seed, curve);
    }

    private static SvmPoint Measure(SvmDataset data, double[] w, double lambda, SvmLoss loss, double seconds, long visited, long updates)
        => new(seconds, visited, updates, PegasosSolver.PrimalObjective(data.Train, w, lambda, loss), Accuracy(data.Test, w));
}
