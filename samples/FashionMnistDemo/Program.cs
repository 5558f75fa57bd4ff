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

/// <summary>Prints each progress report as it comes (Progress&lt;T&gt; would print later, from the thread pool).</summary>
sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => Console.WriteLine($"  {value}");
}
