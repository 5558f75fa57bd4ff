// Trains the same ResNet-8 on Fashion-MNIST twice, on every row and behind the AutoAssist filter,
// and prints the test accuracy and training time of both.
//   dotnet run -c Release --project samples/FashionMnistDemo
using Microsoft.ML;
using Microsoft.ML.AutoAssist;

const int TrainRows = 20_000, Epochs = 3;
var ml = new MLContext(seed: 1);
var train = FashionMnist.Load(ml, FashionMnistSplit.Train, maxRows: TrainRows);  // Label (key), Pixels (1x28x28)
var test = FashionMnist.Load(ml, FashionMnistSplit.Test);

ImageClassificationTrainer ResNet() => ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
{
    FeatureColumnName = "Pixels",
    LabelColumnName = "Label",
    Architecture = ResNetArchitecture.ResNet8,
    Epochs = Epochs,
    Progress = new ConsoleProgress(),
});

Console.WriteLine($"Uniform: the trainer alone, {Epochs} epochs of {TrainRows:N0} rows");
var uniform = ResNet().Fit(train);
var uniformReport = Evaluate(uniform, uniform.TrainingReport!);

Console.WriteLine("AutoAssist: the filter, then the same trainer");
var assisted = ml.Transforms.AutoAssistFilter(featureColumnName: "Pixels", labelColumnName: "Label")
    .Append(ResNet())
    .Fit(train);
var assistedReport = Evaluate(assisted, assisted.LastTransformer.TrainingReport!);

Console.WriteLine($"AutoAssist took {assistedReport.TrainingTime / uniformReport.TrainingTime:P0} of the training time " +
                  $"and {assistedReport.EquivalentEpochs / uniformReport.EquivalentEpochs:P0} of the Boss compute of uniform.");

TrainingReport Evaluate(ITransformer model, TrainingReport report)
{
    var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
    Console.WriteLine($"  test accuracy {metrics.MicroAccuracy:P2}, trained in {report.TrainingTime.TotalSeconds:F1} s " +
                      $"on {report.EquivalentEpochs:F2} epochs of Boss compute");
    return report;
}

/// <summary>
/// A progress bar on one console line, redrawn at every report (every ProgressIntervalSteps steps and
/// at each epoch's end); one line per epoch when the output goes to a file. Reports come on the
/// trainer's thread (Progress&lt;T&gt; would print them later, from the thread pool).
/// </summary>
sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (Console.IsOutputRedirected)
        {
            if (p.EndOfEpoch)
                Console.WriteLine($"  {p}");
            return;
        }
        int filled = (int)Math.Round(Math.Clamp(p.Progress, 0, 1) * 24);
        string eta = p.EstimatedTimeRemaining is { } left ? $"ETA {(int)left.TotalMinutes}:{left.Seconds:D2}" : "";
        Console.Write($"\r  [{new string('#', filled),-24}] epoch {p.Epoch + 1}  loss {p.Loss:F3}  {p.RowsPerSecond:F0} rows/s  {eta}   ");
        if (p.EndOfEpoch)
            Console.WriteLine();
    }
}
