using Microsoft.ML.AutoAssist;
using System.Diagnostics;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoAssist.Harness.Throughput;

/// <summary>
/// Training throughput of the ML.NET ResNet trainer against a bare TorchSharp loop on the same
/// model, batch, optimizer and rows: the cost of the ML.NET plumbing and the selection protocol.
/// The two alternate, repetition by repetition, so machine noise hits both alike.
/// </summary>
internal static class TrainerThroughput
{
    public static void Run(ResNetArchitecture architecture, int rows, int batchSize, int repetitions, int? threads, TextWriter log)
    {
        if (threads is int t)
            torch.set_num_threads(t);
        var data = FashionMnist.LoadData(FashionMnistSplit.Train, maxRows: rows);
        var pixels = new float[data.Count * FashionMnist.PixelCount];
        var labels = new long[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            data.CopyScaledPixels(i, pixels.AsSpan(i * FashionMnist.PixelCount, FashionMnist.PixelCount));
            labels[i] = data.GetLabel(i);
        }
        var ml = new MLContext(1);
        var view = data.ToDataView();
        log.WriteLine($"Throughput: {architecture}, {data.Count} rows, batch {batchSize}, {repetitions} repetitions, {torch.get_num_threads()} torch threads.");
        var ratios = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            double bare = BareLoop(architecture, pixels, labels, batchSize, seed: r + 1);
            double trainer = Trainer(ml, view, architecture, batchSize, seed: r + 1);
            ratios.Add(trainer / bare);
            log.WriteLine($"  repetition {r + 1}: bare TorchSharp {bare:F0} rows/s, ML.NET trainer {trainer:F0} rows/s, ratio {trainer / bare:F3}");
        }
        log.WriteLine($"  trainer / bare: mean {ratios.Average():F3}, min {ratios.Min():F3}, max {ratios.Max():F3}");
    }

    /// <summary>One epoch of plain TorchSharp training, shuffled, from arrays already in memory.</summary>
    private static double BareLoop(ResNetArchitecture architecture, float[] pixels, long[] labels, int batchSize, int seed)
    {
        torch.manual_seed(seed);
        using var model = ResNet.Create(architecture, 10, 1);
        var optimizer = OptimizerFactory.Create(OptimizerAlgorithm.SgdNesterov, model.parameters(), 0.1, 5e-4);
        var order = Enumerable.Range(0, labels.Length).ToArray();
        new Random(seed).Shuffle(order);
        var batchPixels = new float[batchSize * FashionMnist.PixelCount];
        var batchLabels = new long[batchSize];
        model.train();
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int n = Math.Min(batchSize, order.Length - start);
            for (int i = 0; i < n; i++)
            {
                pixels.AsSpan(order[start + i] * FashionMnist.PixelCount, FashionMnist.PixelCount).CopyTo(batchPixels.AsSpan(i * FashionMnist.PixelCount));
                batchLabels[i] = labels[order[start + i]];
            }
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var input = tensor(batchPixels.AsSpan(0, n * FashionMnist.PixelCount).ToArray(), [n, 1, 28, 28]);
            var loss = nn.functional.cross_entropy(model.forward(input), tensor(batchLabels.AsSpan(0, n).ToArray()));
            loss.backward();
            optimizer.step();
        }
        return labels.Length / clock.Elapsed.TotalSeconds;
    }

    private static double Trainer(MLContext ml, IDataView view, ResNetArchitecture architecture, int batchSize, int seed)
    {
        var model = ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
        {
            FeatureColumnName = FashionMnist.PixelsColumnName,
            Architecture = architecture,
            Epochs = 1,
            BatchSize = batchSize,
            LearningRate = 0.1,
            LearningRateSchedule = LearningRateSchedule.Constant,
            Seed = seed,
        }).Fit(view);
        var report = model.TrainingReport!;
        model.Dispose();
        return report.RowsBackpropagated / report.TrainingTime.TotalSeconds;
    }
}
