using System.Globalization;
using Microsoft.ML.AutoAssist.Tests.ImageClassification;
using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>
/// Models saved by the release whose filter wrote every method's settings in one flat list (format
/// 0x00010001; TestData/models/README.md) still load, with exactly the settings they were saved with.
/// </summary>
public class LegacyModelTests
{
    private static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "models", name);

    private static AutoAssistFilterTransformer LoadFilter(string method)
    {
        var model = new MLContext(1).Model.Load(ModelPath($"legacy-filter-{method}.zip"), out _);
        return Assert.IsType<AutoAssistFilterTransformer>(model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model);
    }

    /// <summary>The settings every legacy file was saved with, the method's own ones apart.</summary>
    private static void AssertFilterSettings(AutoAssistFilterOptions options)
    {
        Assert.Equal("Features", options.FeatureColumnName);
        Assert.Equal("Label", options.LabelColumnName);
        Assert.Null(options.SourceColumnName);
        Assert.Null(options.TargetColumnName);
        Assert.Null(options.AssistantFactory);
        Assert.Equal(0.02f, options.AssistantLearningRate);
        Assert.Equal(0.002f, options.AssistantL2);
        Assert.Equal(11, options.Seed);
        Assert.Equal(100, options.FeedbackQueueCapacity);
    }

    private static void AssertAutoAssistSettings(SelectionMethodOptions selection)
    {
        var autoAssist = Assert.IsType<AutoAssistOptions>(selection);
        Assert.Equal(0.4f, autoAssist.BaseKeepProbability);
        Assert.True(autoAssist.FirstPassKeepsAll);
        Assert.Equal(0.6f, autoAssist.ThresholdMomentum);
        Assert.True(autoAssist.AdaptiveFloor);
        Assert.False(autoAssist.Reweight);
        Assert.Equal(0.25f, autoAssist.FinalFullDataFraction);
        // Settings added after the model was saved take the values that select as it did then.
        Assert.Equal(AutoAssistKeepRule.Proportional, autoAssist.KeepRule);
        Assert.Equal(0f, autoAssist.StalenessDiscount);
        Assert.Equal(0f, autoAssist.MinClassKeepShare);
        Assert.Equal(0f, autoAssist.MinAssistantAuc);
        Assert.Equal(0, autoAssist.ShrinkRampEpochs);
        Assert.False(autoAssist.NormalizeWeightsPerBatch);
    }

    [Fact]
    public void UniformLoads()
    {
        var options = LoadFilter("uniform").Options;
        AssertFilterSettings(options);
        Assert.IsType<UniformOptions>(options.Selection);
    }

    [Fact]
    public void AutoAssistLoads()
    {
        var options = LoadFilter("autoassist").Options;
        AssertFilterSettings(options);
        AssertAutoAssistSettings(options.Selection);
    }

    [Fact]
    public void InfoBatchLoads()
    {
        var options = LoadFilter("infobatch").Options;
        AssertFilterSettings(options);
        var infoBatch = Assert.IsType<InfoBatchOptions>(options.Selection);
        Assert.Equal(0.3f, infoBatch.PruneRatio);
        Assert.Equal(0.2f, infoBatch.FinalFullDataFraction);
    }

    [Fact]
    public void SelectiveBackpropLoads()
    {
        var options = LoadFilter("selectivebackprop").Options;
        AssertFilterSettings(options);
        var selectiveBackprop = Assert.IsType<SelectiveBackpropOptions>(options.Selection);
        Assert.Equal(1.5f, selectiveBackprop.Beta);
        Assert.Equal(0.1f, selectiveBackprop.Floor);
        Assert.Equal(512, selectiveBackprop.HistorySize);
    }

    [Fact]
    public void LossSamplingLoads()
    {
        var options = LoadFilter("losssampling").Options;
        AssertFilterSettings(options);
        var lossSampling = Assert.IsType<LossSamplingOptions>(options.Selection);
        Assert.Equal(0.6f, lossSampling.KeepFraction);
        Assert.Equal(0.07f, lossSampling.Floor);
    }

    [Fact]
    public void FilterWithResNetLoadsAndScoresBitForBit()
    {
        var ml = new MLContext(1);
        var model = Assert.IsType<TransformerChain<ITransformer>>(ml.Model.Load(ModelPath("legacy-autoassist-resnet8.zip"), out _));
        var filter = Assert.IsType<AutoAssistFilterTransformer>(model.First());
        AssertFilterSettings(filter.Options);
        AssertAutoAssistSettings(filter.Options.Selection);

        var scored = model.Transform(QuadrantRows.Load(ml, 8, seed: 2));
        var scores = scored.GetColumn<VBuffer<float>>(scored.Schema["Score"])
            .Select(v => string.Join(' ', v.DenseValues().Select(f => BitConverter.SingleToUInt32Bits(f).ToString("x8", CultureInfo.InvariantCulture))))
            .ToArray();
        var expected = File.ReadAllLines(ModelPath("legacy-autoassist-resnet8.scores.txt")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(expected, scores);
    }

    [Fact]
    public void ALoadedLegacyFilterSavesInTheCurrentFormatAndLoadsAgain()
    {
        var ml = new MLContext(1);
        var filter = LoadFilter("selectivebackprop");
        var path = Path.Combine(Path.GetTempPath(), $"autoassist-resaved-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(filter, null, path);
            var again = Assert.IsType<AutoAssistFilterTransformer>(ml.Model.Load(path, out _));
            AssertFilterSettings(again.Options);
            Assert.Equal(512, Assert.IsType<SelectiveBackpropOptions>(again.Options.Selection).HistorySize);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
