using System.IO.Compression;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Persistence.PersistenceTestData;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>Our transformers round-trip through the plain <c>ml.Model.Save</c> / <c>ml.Model.Load</c>.</summary>
public class ModelPersistenceTests
{
    [Fact]
    public void EveryInternalMLNetMemberResolves()
    {
        // Fails on an ML.NET upgrade that moves an internal member; the list names each one.
        Assert.Empty(MLNetModelPersistence.FindMissingMembers());
        MLNetModelPersistence.EnsureSupported();
    }

    [Fact]
    public void MissingMembersAreNamedWithTheSupportedVersions()
    {
        var notMLNet = typeof(object).Assembly;
        Assert.Contains("type Microsoft.ML.VersionInfo", MLNetModelPersistence.FindMissingMembers(notMLNet));

        var error = Assert.Throws<InvalidOperationException>(() => MLNetModelPersistence.EnsureSupported(notMLNet));
        Assert.Contains("Microsoft.ML.ModelLoadContext", error.Message);
        Assert.Contains(MLNetModelPersistence.SupportedMLNetVersions, error.Message);
        Assert.Contains("[5.0.1, 5.1)", error.Message);
    }

    [Fact]
    public void ChainWithBuiltInsRoundTripsWithIdenticalOutputs()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var model = MakeChain(ml, data);
        var expected = Score(ml, model, data);

        var saved = Save(ml, model, data.Schema);
        var fresh = new MLContext(seed: 2); // a new component catalog that has never seen our loaders
        var loaded = fresh.Model.Load(new MemoryStream(saved), out var loadedSchema);

        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), loadedSchema.Select(c => (c.Name, c.Type)));
        var chain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
        var shift = Assert.IsType<ShiftTransformer>(chain.ElementAt(1));
        Assert.Equal(MakeShift().Offsets, shift.Offsets); // came back through the binary side stream
        AssertSameRows(expected, Score(fresh, loaded, MakeData(fresh)));
    }

    [Fact]
    public void LargeStateGoesToItsOwnEntry()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        using var zip = new ZipArchive(new MemoryStream(Save(ml, MakeChain(ml, data), data.Schema)));
        Assert.Contains(zip.Entries, e => e.FullName.Replace('\\', '/').EndsWith("Transform_001/" + ShiftTransformer.OffsetsStreamName));
    }

    [Fact]
    public void NestedModelsRoundTrip()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var model = MakeChain(ml, data, new WrappingTransformer(new WrappingTransformer(MakeShift())));
        var expected = Score(ml, model, data);

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(new MemoryStream(Save(ml, model, data.Schema)), out _);

        var outer = Assert.IsType<WrappingTransformer>(((TransformerChain<ITransformer>)loaded).ElementAt(1));
        Assert.IsType<ShiftTransformer>(Assert.IsType<WrappingTransformer>(outer.Inner).Inner);
        AssertSameRows(expected, Score(fresh, loaded, MakeData(fresh)));
    }

    [Fact]
    public void ModelFromANewerReleaseGivesAClearError()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var saved = PatchHeader(Save(ml, MakeChain(ml, data), data.Schema), ShiftTransformer.Format.ModelSignature, header =>
        {
            BitConverter.TryWriteBytes(header.AsSpan(0x48), 0x00020001u); // version written
            BitConverter.TryWriteBytes(header.AsSpan(0x4C), 0x00020001u); // version a reader needs
        });

        var message = LoadError(saved);
        Assert.Contains($"Cannot load component '{ShiftTransformer.LoaderSignature}'", message);
        Assert.Contains("newer release", message);
        Assert.Contains("0x00020001", message);
    }

    [Fact]
    public void CorruptFormatSignatureGivesAClearError()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var saved = PatchHeader(Save(ml, MakeChain(ml, data), data.Schema), ShiftTransformer.Format.ModelSignature,
            header => Encoding.Latin1.GetBytes("GARBLED!").CopyTo(header, 0x40));

        var message = LoadError(saved);
        Assert.Contains("format signature 'GARBLED!', expected 'AATSHIFT'", message);
        Assert.Contains("corrupt", message);
    }

    [Fact]
    public void SavingAnUnmarkedClassFailsAtSaveTime()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var error = Record.Exception(() => Save(ml, new TransformerChain<ITransformer>(new UnmarkedTransformer()), data.Schema));
        Assert.NotNull(error);
        Assert.Contains("is not marked [ModelLoader(\"AutoAssistTestUnmarked\")]", AllMessages(error));
    }

    [Theory]
    [InlineData("SHORT", "Loader")]
    [InlineData("TOO LONG!", "Loader")]
    [InlineData("AATSHIF\u0100", "Loader")]
    [InlineData("AATSHIFT", "")]
    [InlineData("AATSHIFT", "ThisLoaderSignatureIsTooLong")]
    [InlineData("AATSHIFT", "Has Space")]
    public void FormatsOutsideTheHeaderLimitsAreRejected(string modelSignature, string loaderSignature)
        => Assert.Throws<ArgumentException>(() => new ModelFormat(modelSignature, 1, loaderSignature));

    private static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    private static string LoadError(byte[] model)
    {
        var error = Record.Exception(() => new MLContext(seed: 3).Model.Load(new MemoryStream(model), out _));
        Assert.NotNull(error);
        return AllMessages(error);
    }

    private static string AllMessages(Exception error)
    {
        var messages = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
            messages.AppendLine(e.Message);
        return messages.ToString();
    }

    /// <summary>Rewrites the 256-byte header of the entry whose format signature is <paramref name="signature"/>.</summary>
    private static byte[] PatchHeader(byte[] model, string signature, Action<byte[]> patch)
    {
        var stream = new MemoryStream();
        stream.Write(model);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var target = Encoding.Latin1.GetBytes(signature);
            var entry = zip.Entries.Single(e =>
            {
                using var read = e.Open();
                var header = new byte[0x48];
                return read.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.AsSpan(0x40, 8).SequenceEqual(target);
            });
            byte[] bytes;
            using (var read = entry.Open())
            using (var copy = new MemoryStream())
            {
                read.CopyTo(copy);
                bytes = copy.ToArray();
            }
            var headerBytes = bytes[..0x100];
            patch(headerBytes);
            headerBytes.CopyTo(bytes, 0);
            string name = entry.FullName;
            entry.Delete();
            using var write = zip.CreateEntry(name).Open();
            write.Write(bytes);
        }
        return stream.ToArray();
    }

    private static void AssertSameRows(List<OutputRow> expected, List<OutputRow> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Label, actual[i].Label);
            Assert.Equal(expected[i].Features, actual[i].Features);
            Assert.Equal(expected[i].Shifted, actual[i].Shifted);
            Assert.Equal(expected[i].Normalized, actual[i].Normalized);
        }
    }

    /// <summary>Saves through the bridge without the [ModelLoader] mark, and has no Create.</summary>
    private sealed class UnmarkedTransformer : ITransformer
    {
        private static readonly ModelFormat Format = new("AATUNMRK", 1, "AutoAssistTestUnmarked");

        public bool IsRowToRowMapper => false;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IDataView Transform(IDataView input) => input;

        void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this, Format, _ => { });
    }
}
