using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>The ResNet trainer on real image files, read through ML.NET's ImageAnalytics transforms.</summary>
public sealed class ResNetImageFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("resnet-png").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TrainsAndScoresFromPngFiles()
    {
        const int count = 96;
        var ml = new MLContext(1);
        string indexPath = FashionMnist.ExportPng(FashionMnistSplit.Test, _folder, count);
        var index = ml.Data.LoadFromTextFile(indexPath,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Class", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var classNames = ml.Data.LoadFromEnumerable(FashionMnist.ClassNames.Select(n => new ClassName { Class = n }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Class", keyData: classNames)
            .Append(ml.Transforms.LoadImages("Image", _folder, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", FashionMnist.ImageWidth, FashionMnist.ImageHeight))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
            {
                FeatureColumnName = "Pixels",
                Architecture = ResNetArchitecture.ResNet8,
                Epochs = 2,
                BatchSize = 32,
                Seed = 1,
                TorchThreads = 1,
            }));
        var model = pipeline.Fit(index);
        var scored = model.Transform(index);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.Equal(count, scored.GetColumn<float[]>("Score").Count());
        // The predicted keys carry the class names, so MapKeyToValue gives names back.
        var names = ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored)
            .GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(n => n.ToString()).ToArray();
        Assert.All(names, n => Assert.Contains(n, FashionMnist.ClassNames));
        Assert.Equal(2 * count, model.LastTransformer.TrainingReport!.RowsBackpropagated);
    }

    [Fact]
    public void AnUnreadableImageFileIsNamed()
    {
        var ml = new MLContext(1);
        File.WriteAllText(Path.Combine(_folder, "broken.png"), "not a png");
        File.WriteAllText(Path.Combine(_folder, "index.tsv"), "ImagePath\tLabel\nbroken.png\tBag\nbroken.png\tCoat\n");
        var index = ml.Data.LoadFromTextFile(Path.Combine(_folder, "index.tsv"),
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", _folder, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", 28, 28))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red))
            .Append(ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions { FeatureColumnName = "Pixels", Architecture = ResNetArchitecture.ResNet8, Epochs = 1 }));
        var error = Assert.Throws<InvalidDataException>(() => pipeline.Fit(index));
        Assert.Contains("column 'Pixels'", error.Message);
        Assert.Contains("ImagePath='broken.png'", error.Message);
    }

    private sealed class ClassName
    {
        public string Class { get; set; } = "";
    }
}
