using System.IO.Compression;
using System.Reflection;
using System.Text;
using Microsoft.ML.AutoAssist.Tests.ImageClassification;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>
/// A saved filter + ResNet-8 pipeline, its scores, and ways to damage one entry of its zip: what the damaged-model
/// tests and the model fuzz test start from. The pipeline is fitted once per test run (a second or two).
/// </summary>
internal static class DamagedModels
{
    public const string FilterEntry = "TransformerChain/Transform_000/Model.key";
    public const string ClassifierEntry = "TransformerChain/Transform_001/Model.key";
    public const string WeightsEntry = "TransformerChain/Transform_001/ResNetWeights.bin";

    /// <summary>Every entry our components write, with the loader signature that should be named when it is damaged.</summary>
    public static readonly (string Entry, string Component)[] ComponentEntries =
    [
        (FilterEntry, AutoAssistFilterTransformer.LoaderSignature),
        (ClassifierEntry, ImageClassificationTransformer.LoaderSignature),
        (WeightsEntry, ImageClassificationTransformer.LoaderSignature),
    ];

    private static readonly Lazy<(byte[] Zip, float[][] Scores)> Saved = new(Fit);

    /// <summary>The saved pipeline's zip.</summary>
    public static byte[] Zip => Saved.Value.Zip;

    /// <summary>The saved pipeline's scores on <see cref="ScoringRows"/>.</summary>
    public static float[][] ExpectedScores => Saved.Value.Scores;

    public static IDataView ScoringRows(MLContext ml) => QuadrantRows.Load(ml, 8, seed: 2);

    public static float[][] Score(MLContext ml, ITransformer model)
        => ml.Data.CreateEnumerable<ScoreRow>(model.Transform(ScoringRows(ml)), reuseRowObject: false).Select(r => r.Score).ToArray();

    public static ITransformer Load(byte[] zip) => new MLContext(seed: 3).Model.Load(new MemoryStream(zip), out _);

    /// <summary>The exception behind the reflection wrappers that ML.NET's loading adds around a Create that throws.</summary>
    public static Exception Unwrap(Exception error)
    {
        while (error.InnerException is { } inner && (error is TargetInvocationException || error is InvalidOperationException && inner is TargetInvocationException))
            error = inner;
        return error;
    }

    public static byte[] ReadEntry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var stream = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static IReadOnlyList<string> EntryNames(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>A copy of <paramref name="zip"/> whose entry <paramref name="name"/> holds <paramref name="content"/> (a valid zip: the damage is inside the entry).</summary>
    public static byte[] ReplaceEntry(byte[] zip, string name, byte[] content)
    {
        var stream = new MemoryStream();
        stream.Write(zip);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(name)!.Delete();
            using var write = archive.CreateEntry(name).Open();
            write.Write(content);
        }
        return stream.ToArray();
    }

    public static byte[] Cut(byte[] bytes, int length) => bytes[..length];

    public static byte[] FlipBit(byte[] bytes, int position, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[position] ^= (byte)(1 << bit);
        return copy;
    }

    /// <summary>Where a component's own body starts in a <c>Model.key</c> entry: after ML.NET's 256-byte header.</summary>
    public const int BodyOffset = 0x100;

    /// <summary>
    /// The bytes of an entry that the component wrote: all of a binary entry; in a <c>Model.key</c> the model block
    /// after ML.NET's header (its length is the header's int64 at 0x18), before ML.NET's strings and tail.
    /// </summary>
    public static (int Start, int End) OwnBytes(string entry, byte[] bytes)
        => entry.EndsWith("Model.key") ? (BodyOffset, BodyOffset + (int)BitConverter.ToInt64(bytes, 0x18)) : (0, bytes.Length);

    private static (byte[], float[][]) Fit()
    {
        var ml = new MLContext(seed: 1);
        var data = QuadrantRows.Load(ml, 64, seed: 1);
        var pipeline = ml.Transforms.AutoAssistFilter("Features", "Label")
            .Append(ml.MulticlassClassification.Trainers.ResNet(new ImageClassificationTrainerOptions
            {
                Architecture = ResNetArchitecture.ResNet8,
                Epochs = 1,
                BatchSize = 32,
                TorchThreads = 1,
            }));
        var model = pipeline.Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return (stream.ToArray(), Score(ml, model));
    }

    public static string Describe(Exception error)
    {
        var text = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
            text.Append(e.GetType().Name).Append(": ").AppendLine(e.Message);
        return text.ToString();
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
