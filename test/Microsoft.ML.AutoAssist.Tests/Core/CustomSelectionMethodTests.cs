using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>A selection method written outside the library plugs in like the built-in ones.</summary>
public class CustomSelectionMethodTests
{
    /// <summary>Keeps the rows whose cache index has the given remainder modulo <see cref="Period"/>, with weight <see cref="Period"/>.</summary>
    public sealed class StrideOptions : SelectionMethodOptions
    {
        public int Period = 3;
        public int Remainder;

        public override string Name => "TestStride";

        public override int OptionsVersion => 2;

        public override void Validate() => Check(Period >= 1, nameof(Period), Period, "must be at least 1");

        public override SelectionPolicy CreatePolicy(SelectionContext context) => new StridePolicy(Period, Remainder);

        public override void SaveOptions(BinaryWriter writer)
        {
            writer.Write(Period);
            writer.Write(Remainder);
        }

        public override void LoadOptions(BinaryReader reader, int version)
        {
            Period = reader.ReadInt32();
            // Layout 1 had no remainder.
            Remainder = version >= 2 ? reader.ReadInt32() : 0;
        }

        private sealed class StridePolicy(int period, int remainder) : SelectionPolicy
        {
            public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random)
            {
                for (int i = 0; i < rows.Length; i++)
                    weights[i] = rows[i] % period == remainder ? period : 0f;
            }
        }
    }

    /// <summary>Registered by no test: a model that names it cannot load.</summary>
    public sealed class UnregisteredOptions : SelectionMethodOptions
    {
        public override string Name => "TestUnregistered";

        public override SelectionPolicy CreatePolicy(SelectionContext context) => new UniformOptions().CreatePolicy(context);
    }

    [Fact]
    public void ACustomMethodRunsThroughASessionAndRoundTripsThroughModelSaveAndLoad()
    {
        SelectionMethods.Register<StrideOptions>();
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 300);
        var options = new AutoAssistFilterOptions { Selection = new StrideOptions { Period = 3, Remainder = 1 }, Seed = 2 };
        var filter = ml.Transforms.AutoAssistFilter(options).Fit(data);

        using (var session = SelectiveTrainingSession.Open(ml, filter.Transform(data), ["Features"], seed: 1))
        {
            Assert.Equal("TestStride", session.Method);
            var epoch = EpochDriver.Run(session, f => f[0]);
            // SyntheticRows put the row number in feature 1, and rows are cached in row order.
            Assert.Equal(100, epoch.KeptIds.Count);
            Assert.All(epoch.KeptFeatures, f => Assert.Equal(1, (int)f[1] % 3));
            Assert.All(epoch.Weights, w => Assert.Equal(3f, w));
            Assert.Equal(100.0 / 300, session.Statistics.Last!.KeptFraction, 12);
        }

        var path = Path.Combine(Path.GetTempPath(), $"autoassist-custom-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(filter, data.Schema, path);
            var loaded = Assert.IsType<AutoAssistFilterTransformer>(new MLContext(2).Model.Load(path, out _));
            var stride = Assert.IsType<StrideOptions>(loaded.Options.Selection);
            Assert.Equal(3, stride.Period);
            Assert.Equal(1, stride.Remainder);
            Assert.Equal(2, loaded.Options.Seed);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AModelWhoseMethodIsNotRegisteredSaysWhatToRegister()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 20);
        var filter = ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = new UnregisteredOptions(), Seed = 1 }).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"autoassist-unregistered-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(filter, data.Schema, path);
            var error = Assert.ThrowsAny<Exception>(() => ml.Model.Load(path, out _));
            var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
            Assert.Contains("TestUnregistered", messages);
            Assert.Contains("SelectionMethods.Register", messages);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheRegistryListsTheBuiltInMethodsFirstAndRejectsANameTakenByAnotherClass()
    {
        Assert.Equal(["Uniform", "AutoAssist", "InfoBatch", "SelectiveBackprop", "LossSampling", "RandomSubset"], SelectionMethods.Names.Take(6));
        Assert.IsType<InfoBatchOptions>(SelectionMethods.Create("infobatch"));
        Assert.Throws<ArgumentException>(() => SelectionMethods.Create("NoSuchMethod"));
        Assert.Throws<ArgumentException>(SelectionMethods.Register<UniformImpostorOptions>);
    }

    public sealed class UniformImpostorOptions : SelectionMethodOptions
    {
        public override string Name => "uniform";

        public override SelectionPolicy CreatePolicy(SelectionContext context) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(typeof(InfoBatchOptions), "PruneRatio")]
    [InlineData(typeof(SelectiveBackpropOptions), "HistorySize")]
    [InlineData(typeof(LossSamplingOptions), "Floor")]
    [InlineData(typeof(AutoAssistOptions), "ThresholdMomentum")]
    [InlineData(typeof(StrideOptions), "Period")]
    public void AnOutOfRangeSettingIsNamedWithItsClass(Type optionsType, string field)
    {
        var options = (SelectionMethodOptions)Activator.CreateInstance(optionsType)!;
        var member = optionsType.GetField(field)!;
        member.SetValue(options, member.FieldType == typeof(int) ? -1 : (object)2f);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext(1).Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = options }));
        Assert.Contains($"{optionsType.Name}.{field}", error.Message);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }
}
