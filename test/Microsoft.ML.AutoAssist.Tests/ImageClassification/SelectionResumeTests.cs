using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>
/// A run behind the filter that is killed after an epoch and resumed from its checkpoint ends
/// exactly where the uninterrupted run ends, for every registered selection method: the same
/// weights (scores), steps, rows kept and backpropagated, and selection statistics. The checkpoint
/// holds the Boss's weights and optimizer and the selection's state (Assistant, loss history,
/// policy state, statistics).
/// </summary>
public class SelectionResumeTests
{
    public static TheoryData<string> Methods()
    {
        var methods = new TheoryData<string>();
        foreach (var name in SelectionMethods.Names)
            methods.Add(name);
        return methods;
    }

    private static ImageClassificationTrainerOptions Options(string folder) => new()
    {
        Architecture = ResNetArchitecture.ResNet8,
        Epochs = 4,
        BatchSize = 32,
        LearningRate = 0.05,
        Seed = 3,
        TorchThreads = 1,
        CheckpointFolder = folder,
    };

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string method, ImageClassificationTrainerOptions trainer)
        => ml.Transforms.AutoAssistFilter(new AutoAssistFilterOptions { Selection = SelectionMethods.Create(method), Seed = 11 })
            .Append(ml.MulticlassClassification.Trainers.ResNet(trainer));

    private static TrainingReport Report(ITransformer model)
        => ((TransformerChain<ImageClassificationTransformer>)model).LastTransformer.TrainingReport!;

    [Theory]
    [MemberData(nameof(Methods))]
    public void AKilledRunResumesBitForBit(string method)
    {
        var ml = new MLContext(1);
        var data = QuadrantRows.Load(ml, 192, seed: 1);
        var probe = QuadrantRows.Load(ml, 32, seed: 2);
        var uninterruptedFolder = Directory.CreateTempSubdirectory("resume-a").FullName;
        var resumedFolder = Directory.CreateTempSubdirectory("resume-b").FullName;
        try
        {
            var uninterrupted = Pipeline(ml, method, Options(uninterruptedFolder)).Fit(data);

            // Killed once epoch 1 (the second pass, after the selection has learned) is checkpointed.
            using var cancel = new CancellationTokenSource();
            var killed = Options(resumedFolder);
            killed.CancellationToken = cancel.Token;
            killed.Progress = new SynchronousProgress<TrainingProgress>(p => { if (p.EndOfEpoch && p.Epoch == 1) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => Pipeline(ml, method, killed).Fit(data));

            var resumed = Pipeline(ml, method, Options(resumedFolder)).Fit(data);
            var expected = Report(uninterrupted);
            var actual = Report(resumed);
            Assert.True(actual.Resumed);
            Assert.Empty(actual.Warnings);
            Assert.Equal(expected.Steps, actual.Steps);
            Assert.Equal(expected.RowsForwarded, actual.RowsForwarded);
            Assert.Equal(expected.RowsBackpropagated, actual.RowsBackpropagated);
            Assert.Equal(expected.SelectionEpochs.Select(e => e.ToString()), actual.SelectionEpochs.Select(e => e.ToString()));
            Assert.Equal(expected.SelectionEpochs.Select(e => (e.RowsKept, e.RowsBackpropagated, e.Threshold, e.AssistantAuc)),
                actual.SelectionEpochs.Select(e => (e.RowsKept, e.RowsBackpropagated, e.Threshold, e.AssistantAuc)));
            Assert.Equal(Scores(uninterrupted.Transform(probe)), Scores(resumed.Transform(probe)));
        }
        finally
        {
            Directory.Delete(uninterruptedFolder, recursive: true);
            Directory.Delete(resumedFolder, recursive: true);
        }
    }

    private static float[][] Scores(IDataView scored) => scored.GetColumn<float[]>(ImageClassificationTransformer.ScoreColumnName).ToArray();
}
