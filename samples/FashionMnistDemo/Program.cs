// Trains the same ResNet on Fashion-MNIST twice, once on every row and once through the
// AutoAssist filter, and prints the test accuracy and training time of both.
//
//   dotnet run -c Release --project samples/FashionMnistDemo -- [--train-rows N] [--epochs N] [--model resnet8|resnet20] [--seed N]
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.AutoAssist;

var settings = DemoSettings.Parse(args);
var ml = new MLContext(settings.Seed);
Console.WriteLine($"Fashion-MNIST: {settings.TrainRows} training rows, {settings.Model}, {settings.Epochs} epochs, seed {settings.Seed}.");
var train = FashionMnist.Load(ml, FashionMnistSplit.Train, maxRows: settings.TrainRows);
var test = FashionMnist.Load(ml, FashionMnistSplit.Test);

var results = new List<(string Name, double Accuracy, TrainingReport Report)>();
foreach (var method in new SelectionMethodOptions[] { new UniformOptions(), new AutoAssistOptions() })
{
    Console.WriteLine();
    Console.WriteLine(method is UniformOptions ? "Training on every row:" : "Training with AutoAssist:");
    var trainer = ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
    {
        FeatureColumnName = FashionMnist.PixelsColumnName,
        LabelColumnName = FashionMnist.LabelColumnName,
        Architecture = settings.Model,
        Epochs = settings.Epochs,
        BatchSize = 128,
        LearningRate = 0.1,
        LearningRateSchedule = LearningRateSchedule.Cosine,
        Seed = settings.Seed,
        Progress = new ConsoleProgress(),
    });
    var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions
    {
        Selection = method,
        FeatureColumnName = FashionMnist.PixelsColumnName,
        LabelColumnName = FashionMnist.LabelColumnName,
        Seed = settings.Seed,
    });
    var clock = Stopwatch.StartNew();
    var model = filter.Append(trainer).Fit(train);
    clock.Stop();
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    var report = model.LastTransformer.TrainingReport!;
    Console.WriteLine($"  test accuracy {metrics.MicroAccuracy:P2}, Fit took {clock.Elapsed.TotalSeconds:F1} s, " +
                      $"{report.RowsBackpropagated:N0} rows backpropagated ({report.EquivalentEpochs:F2} epochs of compute)");
    results.Add((method.Name, metrics.MicroAccuracy, report));
}

Console.WriteLine();
Console.WriteLine($"{"method",-12} {"accuracy",9} {"train time",11} {"compute (epochs)",17}");
foreach (var (name, accuracy, report) in results)
    Console.WriteLine($"{name,-12} {accuracy,9:P2} {report.TrainingTime.TotalSeconds,9:F1} s {report.EquivalentEpochs,17:F2}");
var (baseline, assisted) = (results[0].Report, results[1].Report);
Console.WriteLine($"AutoAssist used {assisted.TrainingTime / baseline.TrainingTime:P0} of the time and " +
                  $"{(double)assisted.RowsBackpropagated / baseline.RowsBackpropagated:P0} of the Boss compute of training on every row.");

/// <summary>
/// A progress bar on one console line, redrawn (carriage return) at every report; when the output
/// goes to a file, one line per epoch instead.
/// </summary>
sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private const int BarWidth = 24;
    private int _lastLength;

    public void Report(TrainingProgress value)
    {
        if (Console.IsOutputRedirected)
        {
            if (value.EndOfEpoch)
                Console.WriteLine($"  {value}");
            return;
        }
        double done = Math.Clamp(value.Progress, 0, 1);
        int filled = (int)Math.Round(done * BarWidth);
        string kept = double.IsNaN(value.KeptFraction) ? "kept n/a" : $"kept {value.KeptFraction:P0}";
        string eta = value.EstimatedTimeRemaining is { } remaining ? $"ETA {(int)remaining.TotalMinutes}:{remaining.Seconds:D2}" : "ETA --:--";
        string line = $"  [{new string('#', filled)}{new string('.', BarWidth - filled)}] {done,4:P0}  epoch {value.Epoch + 1}  " +
                      $"loss {value.Loss:F3}  {kept}  {value.RowsPerSecond:F0} rows/s  {eta}";
        Console.Write("\r" + line.PadRight(_lastLength));
        _lastLength = line.Length;
        if (done >= 1 && value.EndOfEpoch)
            Console.WriteLine();
    }
}

/// <summary>The demo's command-line settings.</summary>
sealed record DemoSettings(int TrainRows, int Epochs, ResNetArchitecture Model, int Seed)
{
    public static DemoSettings Parse(string[] args)
    {
        var settings = new DemoSettings(TrainRows: 20_000, Epochs: 3, Model: ResNetArchitecture.ResNet8, Seed: 1);
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--train-rows" => settings with { TrainRows = int.Parse(Value()) },
                "--epochs" => settings with { Epochs = int.Parse(Value()) },
                "--model" => settings with { Model = Enum.Parse<ResNetArchitecture>(Value(), ignoreCase: true) },
                "--seed" => settings with { Seed = int.Parse(Value()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --train-rows N, --epochs N, --model resnet8|resnet20|resnet32|resnet56|resnet18, --seed N."),
            };
        }
        return settings;
    }
}
