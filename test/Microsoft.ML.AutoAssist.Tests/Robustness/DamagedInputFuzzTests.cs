using System.Text;
using Microsoft.ML.AutoAssist.Tests.Corpus;
using Microsoft.ML.AutoAssist.Tests.Data;
using Microsoft.ML.AutoAssist.Tests.Persistence;
using Microsoft.ML.AutoAssist.Tests.Torch;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Robustness;

/// <summary>
/// Seeded fuzzing of every reader of files we write or read: IDX files (the gzip bytes, and the raw IDX bytes
/// before gzip), PNG images through ML.NET's LoadImages into the ResNet trainer, training checkpoints, every
/// entry of a saved filter + ResNet model, and the translation corpus. Each reader gets copies of a good file that
/// are cut short, have a bit flipped or a byte overwritten at seeded positions (<see cref="ByteDamage.Cases"/>),
/// and must either succeed with data that passes its own checks or throw the exception type its documentation
/// names, with the file (or model entry) in the message: never crash, hang or allocate as if a damaged size
/// were true (<see cref="ByteDamage.Run"/>). The same seeds give the same cases on every run; the suite takes a
/// few seconds.
/// </summary>
public sealed class DamagedInputFuzzTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const long MaxAllocatedBytes = 64L << 20;

    private readonly string _folder = Directory.CreateTempSubdirectory("autoassist-fuzz").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void IdxFilesLoadOrFailNamingTheFile()
    {
        const int items = 12;
        using var files = new IdxTestFiles();
        files.WriteSplit(FashionMnistSplit.Test, items);
        var targets = new[]
        {
            (Path: files.ImagesPath(FashionMnistSplit.Test), Raw: IdxTestFiles.Header(IdxFile.ImagesMagic, items, 28, 28).Concat(IdxTestFiles.MakePixels(items)).ToArray()),
            (Path: files.LabelsPath(FashionMnistSplit.Test), Raw: IdxTestFiles.Header(IdxFile.LabelsMagic, items).Concat(IdxTestFiles.MakeLabels(items)).ToArray()),
        };
        int seed = 100;
        foreach (var (path, raw) in targets)
        {
            var good = File.ReadAllBytes(path);
            foreach (var damage in ByteDamage.Cases(good, seed++))
            {
                File.WriteAllBytes(path, damage.Bytes);
                CheckIdx(path, $"{Path.GetFileName(path)} (gzip bytes), {damage.Description}", files.Folder, items);
            }
            foreach (var damage in ByteDamage.Cases(raw, seed++))
            {
                IdxTestFiles.WriteGzip(path, damage.Bytes, []);
                CheckIdx(path, $"{Path.GetFileName(path)} (IDX bytes), {damage.Description}", files.Folder, items);
            }
            // An IDX file that was decompressed by hand is refused, not misread.
            File.WriteAllBytes(path, raw);
            CheckIdx(path, $"{Path.GetFileName(path)} (not gzipped)", files.Folder, items);
            File.WriteAllBytes(path, good);
        }
    }

    private static void CheckIdx(string damagedPath, string what, string folder, int items)
    {
        // The Fashion-MNIST loader, which checks both files' headers against each other before reading...
        FashionMnistData? data = null;
        var error = ByteDamage.Run(what, () => data = FashionMnist.LoadData(FashionMnistSplit.Test, folder), Timeout, MaxAllocatedBytes);
        if (error is null)
        {
            Assert.Equal(items, data!.Count); // labels are checked by FashionMnistData itself
            Assert.Equal(items * FashionMnist.PixelCount, data.Pixels.Length);
        }
        else
        {
            Assert.True(error is InvalidDataException, $"{what}: {error}");
            Assert.Contains(damagedPath, error.Message);
        }

        // ...and the IDX reader alone, which has only the damaged header to go by.
        uint magic = Path.GetFileName(damagedPath).Contains("labels") ? IdxFile.LabelsMagic : IdxFile.ImagesMagic;
        byte[]? body = null;
        long declared = 0;
        error = ByteDamage.Run($"{what} (IdxFile)", () =>
        {
            using var file = IdxFile.Open(damagedPath, magic, missingFileAdvice: "");
            declared = (long)file.ItemCount * file.ItemSize;
            body = file.ReadItems(file.ItemCount);
        }, Timeout, MaxAllocatedBytes);
        if (error is null)
        {
            Assert.Equal(declared, body!.Length);
            return;
        }
        Assert.True(error is InvalidDataException, $"{what} (IdxFile): {error}");
        Assert.Contains(damagedPath, error.Message);
    }

    [Fact]
    public void DamagedPngsTrainOrFailNamingTheImage()
    {
        const int images = 4;
        var data = new FashionMnistData(IdxTestFiles.MakePixels(images), IdxTestFiles.MakeLabels(images));
        string index = FashionMnist.ExportPng(data, _folder);
        string victim = Path.Combine(_folder, "image-00000.png");
        var good = File.ReadAllBytes(victim);
        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromTextFile(index,
            [new TextLoader.Column("ImagePath", DataKind.String, 0), new TextLoader.Column("Label", DataKind.String, 1)],
            separatorChar: '\t', hasHeader: true);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", _folder, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", FashionMnist.ImageWidth, FashionMnist.ImageHeight))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
            {
                FeatureColumnName = "Pixels",
                Architecture = ResNetArchitecture.ResNet8,
                Epochs = 1,
                BatchSize = images,
                Seed = 1,
                TorchThreads = 1,
            }));

        // Fitting a network per case is the slow part: fewer cases than for the other readers.
        foreach (var damage in ByteDamage.Cases(good, seed: 200, cuts: 2, flips: 3, overwrites: 1))
        {
            File.WriteAllBytes(victim, damage.Bytes);
            string what = $"image-00000.png, {damage.Description}";
            int scored = 0;
            var error = ByteDamage.Run(what, () => scored = pipeline.Fit(rows).Transform(rows).GetColumn<float[]>("Score").Count(), Timeout, long.MaxValue);
            if (error is null)
            {
                Assert.Equal(images, scored);
                continue;
            }
            Assert.True(error is InvalidDataException, $"{what}: {error}");
            Assert.Contains("ImagePath='image-00000.png'", error.Message);
        }
        File.WriteAllBytes(victim, good);
    }

    [Fact]
    public void DamagedCheckpointsRestoreExactlyOrFailWithInvalidData()
    {
        string directory = Path.Combine(_folder, "checkpoint");
        torch.manual_seed(1);
        using var module = SmallModule();
        using var optimizer = torch.optim.Adam(module.parameters(), lr: 0.01);
        using (var scope = torch.NewDisposeScope())
        {
            optimizer.zero_grad();
            module.forward(torch.rand(5, 4)).sum().backward();
            optimizer.step();
        }
        var saved = new TrainingLoopState { Epoch = 1, Step = 3, Progress = 0.25, RandomStates = { ["augmenter"] = [1, 2, 3, 4] } };
        TrainingCheckpoint.Save(directory, module, optimizer, saved);
        var expected = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        string content = Directory.GetDirectories(directory).Single();
        string[] files = [Path.Combine(directory, TrainingCheckpoint.ManifestFileName), .. Directory.GetFiles(content).Order(StringComparer.Ordinal)];
        int seed = 300;
        foreach (string file in files)
        {
            var good = File.ReadAllBytes(file);
            foreach (var damage in ByteDamage.Cases(good, seed++, flips: 8, overwrites: 6))
            {
                File.WriteAllBytes(file, damage.Bytes);
                string what = $"{Path.GetFileName(file)}, {damage.Description}";
                torch.manual_seed(2);
                using var fresh = SmallModule();
                using var freshOptimizer = torch.optim.Adam(fresh.parameters(), lr: 0.01);
                bool found = false;
                var error = ByteDamage.Run(what, () => found = TrainingCheckpoint.TryLoad(directory, fresh, freshOptimizer, out _), Timeout, MaxAllocatedBytes);
                if (error is null)
                {
                    Assert.True(found, what);
                    foreach (var (key, tensor) in fresh.state_dict())
                        Assert.True(TensorEquality.Identical(tensor, expected[key]), $"{what}: '{key}' was restored with other values");
                    continue;
                }
                Assert.True(error is InvalidDataException, $"{what}: {error}");
                Assert.Contains(Path.GetFileName(file), error.Message);
            }
            File.WriteAllBytes(file, good);
        }
        foreach (var tensor in expected.Values)
            tensor.Dispose();
    }

    private static Sequential SmallModule() => nn.Sequential(("hidden", nn.Linear(4, 8)), ("relu", nn.ReLU()), ("out", nn.Linear(8, 3)));

    [Fact]
    public void DamagedModelEntriesLoadTheSameModelOrFailWithAFormatException()
    {
        var zip = DamagedModels.Zip;
        int seed = 400;
        foreach (string entry in DamagedModels.EntryNames(zip))
        {
            var good = DamagedModels.ReadEntry(zip, entry);
            foreach (var damage in ByteDamage.Cases(good, seed++, cuts: 2, flips: 4, overwrites: 2))
            {
                string what = $"{entry}, {damage.Description}";
                var damaged = DamagedModels.ReplaceEntry(zip, entry, damage.Bytes);
                ITransformer? loaded = null;
                var error = ByteDamage.Run(what, () => loaded = DamagedModels.Load(damaged), Timeout, MaxAllocatedBytes);
                if (error is null)
                {
                    var scores = DamagedModels.Score(new MLContext(seed: 1), loaded!);
                    Assert.Equal(DamagedModels.ExpectedScores.Length, scores.Length);
                    for (int i = 0; i < scores.Length; i++)
                        Assert.True(DamagedModels.ExpectedScores[i].SequenceEqual(scores[i]), $"{what}: loaded, but scores row {i} differently");
                    continue;
                }
                var cause = DamagedModels.Unwrap(error);
                // A damaged loader-assembly name (in ML.NET's part of any Model.key, read before a component runs) makes
                // ML.NET's Assembly.Load fail: FileNotFoundException for a name that differs, FileLoadException for one
                // that is no longer a valid assembly name.
                bool isLoaderName = entry.EndsWith("Model.key") && cause is FileNotFoundException or FileLoadException;
                // ML.NET reads the Schema entry itself, before any of our code runs, and may run off its end.
                bool isMLNetSchemaReader = entry == "Schema" && cause is EndOfStreamException;
                Assert.True(cause is FormatException || isLoaderName || isMLNetSchemaReader, $"{what}: {DamagedModels.Describe(error)}");
            }
        }
    }

    [Fact]
    public void DamagedCorpusFilesLoadOrFailNamingTheFileAndLine()
    {
        string path = Path.Combine(_folder, "train.tsv");
        var good = File.ReadAllBytes(CorpusTestData.SamplePath);
        foreach (var damage in ByteDamage.Cases(good, seed: 500, cuts: 4, flips: 12, overwrites: 8))
        {
            File.WriteAllBytes(path, damage.Bytes);
            string what = $"corpus, {damage.Description}";
            IReadOnlyList<TranslationPair>? pairs = null;
            var error = ByteDamage.Run(what, () => pairs = TranslationCorpus.ReadPairs(path), Timeout, MaxAllocatedBytes);
            if (error is null)
            {
                Assert.All(pairs!, pair =>
                {
                    Assert.False(string.IsNullOrWhiteSpace(pair.Source), what);
                    Assert.False(string.IsNullOrWhiteSpace(pair.Target), what);
                    Assert.DoesNotContain('\uFFFD', pair.Source + pair.Target + pair.Origin); // undecodable bytes are an error, not a character
                });
                continue;
            }
            Assert.True(error is InvalidDataException, $"{what}: {error}");
            Assert.Contains(path, error.Message);
            Assert.Contains("line ", error.Message);
        }
    }
}
