using Microsoft.ML.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.GroupTesting;

/// <summary>The trained network path: training, M = 1 against individual testing, Save/Load, leaks, compute counts.</summary>
public class GroupTestingNetworkTests
{
    private static readonly int[] Positives = Enumerable.Range(0, 32).Where(i => i % 10 == 3).ToArray();

    private static GroupTestingTrainerOptions Tiny(GroupTestingDesign design, int groupSize = 4) => new()
    {
        Architecture = ResNetArchitecture.ResNet8,
        Design = design,
        GroupSize = groupSize,
        Epochs = 1,
        GroupsPerBatch = 4,
        Seed = 5,
    };

    private static GroupTestingTransformer Train(MLContext ml, GroupTestingDesign design, int groupSize = 4)
        => ml.BinaryClassification.Trainers.GroupTestingResNet(Tiny(design, groupSize)).Fit(GroupRows.Load(ml, 32, Positives));

    [Theory]
    [InlineData(GroupTestingDesign.PixelMerge)]
    [InlineData(GroupTestingDesign.FeatureMerge)]
    [InlineData(GroupTestingDesign.TreeMerge)]
    public void GroupsOfOneScoreEachRowAsTheNetworkAlone(GroupTestingDesign design)
    {
        var ml = new MLContext(1);
        using var model = Train(ml, design);
        var rows = GroupRows.Make(20, [2, 17], seed: 3);
        var individual = ml.BinaryClassification.GroupTesting(model, GroupTestingAlgorithm.TwoRound, groupSize: 1);
        var scores = individual.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();

        // With M = 1 a scoring batch holds 16 rows; the network alone runs on the same batches.
        var tester = (ResNetGroupTester)model.Tester;
        var expected = new List<float>();
        using (no_grad())
        {
            foreach (var chunk in rows.Chunk(16))
            {
                using var scope = NewDisposeScope();
                var images = tensor(chunk.SelectMany(r => r.Features).ToArray(), [chunk.Length, 1, GroupRows.Size, GroupRows.Size]);
                var logits = tester.Network.forward(images);
                expected.AddRange((logits[.., 1] - logits[.., 0]).data<float>().ToArray());
            }
        }
        Assert.Equal(expected, scores);
        Assert.Equal(20, individual.Statistics.ForwardPasses);
        Assert.Equal(1.0, individual.Statistics.RelativeCompute);
    }

    [Fact]
    public void APredictionEngineTestsEachRowAlone()
    {
        var ml = new MLContext(1);
        using var model = Train(ml, GroupTestingDesign.TreeMerge);
        var rows = GroupRows.Make(6, [4], seed: 8);
        var individual = ml.BinaryClassification.GroupTesting(model, GroupTestingAlgorithm.TwoRound, groupSize: 1);
        var expected = individual.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        var engine = ml.Model.CreatePredictionEngine<GroupRows.Row, Prediction>(model);
        for (int i = 0; i < rows.Count; i++)
        {
            var prediction = engine.Predict(rows[i]);
            // One image against a batch of six: the convolutions may round differently.
            Assert.Equal(expected[i], prediction.Score, 4);
            Assert.Equal(prediction.Score > 0, prediction.PredictedLabel);
        }
        Assert.Equal(rows.Count, model.Statistics.ForwardPasses);
    }

    // Through ml.Model.Save and a fresh MLContext's Load, as a user's other process would.
    private static GroupTestingTransformer SaveAndLoad(MLContext ml, GroupTestingTransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        return Assert.IsType<GroupTestingTransformer>(new MLContext(2).Model.Load(stream, out _));
    }

    [Fact]
    public void SavesAndLoadsWithTheSameScoresAndSettings()
    {
        var ml = new MLContext(1);
        using var model = Train(ml, GroupTestingDesign.TreeMerge);
        var data = GroupRows.Load(ml, 37, [4, 30], seed: 7);
        var before = model.Transform(data).GetColumn<float>("Score").ToArray();
        var loaded = SaveAndLoad(ml, model, data);
        using (loaded)
        {
            Assert.Equal(before, loaded.Transform(data).GetColumn<float>("Score").ToArray());
            Assert.Equal(GroupTestingDesign.TreeMerge, loaded.Design);
            Assert.Equal(4, loaded.GroupSize);
            Assert.Equal(GroupTestingAlgorithm.TwoRound, loaded.Algorithm);
            Assert.Equal(model.Seed, loaded.Seed);
        }

        // The group threshold travels with the model.
        var lenient = model.WithInference(new GroupTestingInferenceOptions { GroupSize = 4, GroupThreshold = -0.25f });
        using var loadedLenient = SaveAndLoad(ml, lenient, data);
        Assert.Equal(-0.25f, loadedLenient.GroupThreshold);
        Assert.Equal(lenient.Transform(data).GetColumn<float>("Score").ToArray(), loadedLenient.Transform(data).GetColumn<float>("Score").ToArray());
    }

    [Fact]
    public void SavesAndLoadsBothNetworksOfIndividualRetests()
    {
        var ml = new MLContext(1);
        using var groups = Train(ml, GroupTestingDesign.FeatureMerge);
        using var individual = Train(ml, GroupTestingDesign.PixelMerge, groupSize: 1);
        var model = groups.WithIndividualRetests(individual);
        var data = GroupRows.Load(ml, 37, [4, 30], seed: 7);
        var before = model.Transform(data).GetColumn<float>("Score").ToArray();
        var loaded = SaveAndLoad(ml, model, data);
        using (loaded)
        {
            Assert.True(loaded.RetestsIndividually);
            Assert.Equal(GroupTestingDesign.FeatureMerge, loaded.Design);
            Assert.Equal(before, loaded.Transform(data).GetColumn<float>("Score").ToArray());
            Assert.Equal(model.Statistics.ForwardPasses, loaded.Statistics.ForwardPasses);
        }
    }

    [Fact]
    public void ScreeningLeavesNoTensorsBehind()
    {
        var ml = new MLContext(1);
        using var model = Train(ml, GroupTestingDesign.FeatureMerge);
        var data = GroupRows.Load(ml, 50, [1, 20]);
        var multiRound = ml.BinaryClassification.GroupTesting(model, GroupTestingAlgorithm.MultiRound, 4);
        model.Transform(data).GetColumn<float>("Score").ToArray(); // warm-up
        long before = LiveTensors.Count;
        model.Transform(data).GetColumn<float>("Score").ToArray();
        multiRound.Transform(data).GetColumn<float>("Score").ToArray();
        Assert.Equal(before, LiveTensors.Count);
    }

    [Fact]
    public void CountsComputeAgainstIndividualTesting()
    {
        var ml = new MLContext(1);
        using var model = Train(ml, GroupTestingDesign.FeatureMerge);
        var tester = (ResNetGroupTester)model.Tester;
        var macs = tester.Network.ResNet.MultiplyAccumulates(GroupRows.Size, GroupRows.Size);
        var individual = ml.BinaryClassification.GroupTesting(model, GroupTestingAlgorithm.TwoRound, 1);
        individual.Transform(GroupRows.Load(ml, 8, [])).GetColumn<float>("Score").ToArray();
        Assert.Equal(8 * (macs.Early + macs.Middle + macs.Late), individual.Statistics.MultiplyAccumulates);
        Assert.Equal(individual.Statistics.IndividualMultiplyAccumulates, individual.Statistics.MultiplyAccumulates);
        // ResNet8 on 16x16: the stem and stage 1 (16 channels, 16x16), stage 2 (32, 8x8) and stage 3 (64, 4x4), then the classifier.
        Assert.Equal(16 * 9 * 256 + 2 * 16 * 16 * 9 * 256, macs.Early);
        Assert.Equal((32 * 16 * 9 + 32 * 32 * 9 + 32 * 16) * 64, macs.Middle);
        Assert.Equal((64 * 32 * 9 + 64 * 64 * 9 + 64 * 32) * 16 + 64 * 2, macs.Late);
    }

    [Fact]
    public void TrainingRefusesDataWithTooFewNegativesOrAWrongLabel()
    {
        var ml = new MLContext(1);
        var trainer = ml.BinaryClassification.Trainers.GroupTestingResNet(Tiny(GroupTestingDesign.TreeMerge, groupSize: 16));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(GroupRows.Load(ml, 10, [1])));
        Assert.Contains("GroupSize (16) negative rows", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(GroupRows.Load(ml, 40, [])));
        Assert.Contains("at least one positive row", error.Message);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(GroupRows.Load(ml, 40, [1])).Transform(GroupRows.Load(ml, 40, [1]));
        error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(keyed));
        Assert.Contains("must be Boolean", error.Message);
    }

    // The largest difference between two networks' parameters.
    private static double LargestWeightDifference(GroupTestingTransformer a, GroupTestingTransformer b)
    {
        var right = ((ResNetGroupTester)b.GroupTester).Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var scope = NewDisposeScope();
        return ((ResNetGroupTester)a.GroupTester).Network.named_parameters().Max(p => (p.parameter - right[p.name]).abs().max().item<float>());
    }

    [Fact]
    public void TrainingStartsFromAnInitialModelsWeights()
    {
        var ml = new MLContext(1);
        var data = GroupRows.Load(ml, 32, Positives);
        var individualOptions = Tiny(GroupTestingDesign.PixelMerge, groupSize: 1);
        individualOptions.Seed = 11;
        using var individual = ml.BinaryClassification.Trainers.GroupTestingResNet(individualOptions).Fit(data);
        var scoresBefore = individual.Transform(data).GetColumn<float>("Score").ToArray();

        var trainer = ml.BinaryClassification.Trainers.GroupTestingResNet(Tiny(GroupTestingDesign.TreeMerge));
        using var warm = trainer.Fit(data, individual);
        using var cold = trainer.Fit(data);
        // Two Adam steps of 1e-3 move a weight by about 2e-3; the random start is far from the individual network.
        Assert.InRange(LargestWeightDifference(warm, individual), 0, 0.01);
        Assert.True(LargestWeightDifference(cold, individual) > 0.05);
        // The weights were copied, not shared: the individual model scores as before.
        Assert.Equal(scoresBefore, individual.Transform(data).GetColumn<float>("Score").ToArray());
    }

    [Fact]
    public void TrainingRefusesAnInitialModelOfAnotherShape()
    {
        var ml = new MLContext(1);
        using var individual = Train(ml, GroupTestingDesign.PixelMerge, groupSize: 1);
        var options = Tiny(GroupTestingDesign.TreeMerge);
        options.Architecture = ResNetArchitecture.ResNet20;
        var error = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.GroupTestingResNet(options).Fit(GroupRows.Load(ml, 32, Positives), individual));
        Assert.Contains("initial model is a ResNet8 of width 1 on 1x16x16 images", error.Message);
        Assert.Contains("ResNet20", error.Message);
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }
    }
}
