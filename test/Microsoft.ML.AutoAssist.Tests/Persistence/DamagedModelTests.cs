using System.Globalization;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Persistence.DamagedModels;
using static Microsoft.ML.AutoAssist.Tests.Persistence.PersistenceTestData;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>
/// A damaged entry of a saved model fails <c>ml.Model.Load</c> with a <see cref="FormatException"/> that names the
/// component and the entry (behind the TargetInvocationExceptions of ML.NET's reflection), and models saved before
/// entries carried checksums still load.
/// </summary>
public class DamagedModelTests
{
    private static readonly string ModelsFolder = Path.Combine(AppContext.BaseDirectory, "TestData", "models");

    public static TheoryData<string, string> Entries()
    {
        var data = new TheoryData<string, string>();
        foreach (var (entry, component) in ComponentEntries)
            data.Add(entry, component);
        return data;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void FlippedBitInAComponentsOwnBytesNamesTheComponentAndEntry(string entry, string component)
    {
        var bytes = ReadEntry(Zip, entry);
        var (start, end) = OwnBytes(entry, bytes);
        foreach (int position in new[] { start, start + 9, (start + end) / 2, end - 1 })
        {
            var error = LoadError(ReplaceEntry(Zip, entry, FlipBit(bytes, position, bit: 2)));
            AssertNames(error, component, entry);
        }
    }

    [Fact]
    public void CutWeightsEntryNamesTheComponentAndEntry()
    {
        var bytes = ReadEntry(Zip, WeightsEntry);
        foreach (int length in new[] { 0, 7, bytes.Length / 2, bytes.Length - 1 })
            AssertNames(LoadError(ReplaceEntry(Zip, WeightsEntry, Cut(bytes, length))), ImageClassificationTransformer.LoaderSignature, WeightsEntry);
    }

    [Theory]
    [InlineData(FilterEntry)]
    [InlineData(ClassifierEntry)]
    public void CutModelKeyFailsWithAFormatException(string entry)
    {
        // ML.NET checks the entry's length against its own header before it knows which component the entry holds,
        // so its FormatException cannot name one (docs/persistence.md, "Errors a user may see").
        var bytes = ReadEntry(Zip, entry);
        foreach (int length in new[] { 10, BodyOffset + 3, bytes.Length - 1 })
            Assert.IsType<FormatException>(Unwrap(LoadError(ReplaceEntry(Zip, entry, Cut(bytes, length)))));
    }

    [Fact]
    public void DamagedNestedModelNamesTheOuterComponentAndTheNestedEntry()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        byte[] zip;
        using (var stream = new MemoryStream())
        {
            ml.Model.Save(MakeChain(ml, data, new WrappingTransformer(MakeShift())), data.Schema, stream);
            zip = stream.ToArray();
        }
        const string inner = "TransformerChain/Transform_001/Inner/Model.key";
        var bytes = ReadEntry(zip, inner);

        var cut = LoadError(ReplaceEntry(zip, inner, Cut(bytes, bytes.Length / 2)));
        AssertNames(cut, WrappingTransformer.LoaderSignature, "TransformerChain/Transform_001/Model.key");
        Assert.Contains($"nested model '{inner}'", Unwrap(cut).Message);

        var flipped = LoadError(ReplaceEntry(zip, inner, FlipBit(bytes, BodyOffset + 1, bit: 0)));
        AssertNames(flipped, WrappingTransformer.LoaderSignature, "TransformerChain/Transform_001/Model.key");
        Assert.Contains($"Cannot load component '{ShiftTransformer.LoaderSignature}' from entry '{inner}'", Unwrap(flipped).Message);
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("autoassist")]
    [InlineData("infobatch")]
    [InlineData("selectivebackprop")]
    [InlineData("losssampling")]
    public void FilterSavedBeforeChecksumsStillLoads(string method)
    {
        var loaded = new MLContext(seed: 1).Model.Load(Path.Combine(ModelsFolder, $"legacy-filter-{method}.zip"), out _);
        Assert.IsType<AutoAssistFilterTransformer>(loaded);
    }

    [Fact]
    public void ClassifierSavedBeforeChecksumsStillLoadsAndScoresTheSame()
    {
        var ml = new MLContext(seed: 1);
        var loaded = ml.Model.Load(Path.Combine(ModelsFolder, "legacy-autoassist-resnet8.zip"), out _);
        var expected = File.ReadAllLines(Path.Combine(ModelsFolder, "legacy-autoassist-resnet8.scores.txt"))
            .Select(line => line.Split(' ').Select(hex => BitConverter.Int32BitsToSingle(int.Parse(hex, NumberStyles.HexNumber))).ToArray())
            .ToArray();
        var actual = Score(ml, loaded);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], actual[i], new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void CutWeightsOfAModelSavedBeforeChecksumsNamesTheComponentAndEntry()
    {
        // An unframed entry reaches TorchSharp's reader, whose EndOfStreamException is translated the same way.
        var legacy = File.ReadAllBytes(Path.Combine(ModelsFolder, "legacy-autoassist-resnet8.zip"));
        var bytes = ReadEntry(legacy, WeightsEntry);
        var error = LoadError(ReplaceEntry(legacy, WeightsEntry, Cut(bytes, bytes.Length / 2)));
        AssertNames(error, ImageClassificationTransformer.LoaderSignature, WeightsEntry);
        Assert.IsType<EndOfStreamException>(Unwrap(error).InnerException);
    }

    [Fact]
    public void EverySavedEntryOfOursCarriesItsChecksum()
    {
        foreach (var (entry, _) in ComponentEntries)
        {
            var bytes = ReadEntry(Zip, entry);
            if (entry.EndsWith("Model.key"))
                Assert.Contains("AACRC32B"u8.ToArray(), Windows(bytes, 8)); // the body trailer, before ML.NET's tail
            else
                Assert.Equal("AABLOB01"u8.ToArray(), bytes[..8]);
        }
    }

    private static IEnumerable<byte[]> Windows(byte[] bytes, int size)
        => Enumerable.Range(0, bytes.Length - size + 1).Select(i => bytes[i..(i + size)]);

    private static Exception LoadError(byte[] zip)
    {
        var error = Record.Exception(() => Load(zip));
        Assert.NotNull(error);
        return error;
    }

    private static void AssertNames(Exception error, string component, string entry)
    {
        var cause = Unwrap(error);
        Assert.True(cause is FormatException, Describe(error));
        Assert.Contains($"Cannot load component '{component}' from entry '{entry}'", cause.Message);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float value) => 0;
    }
}
