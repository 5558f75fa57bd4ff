using System.Globalization;
using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>
/// A session checkpointed between epochs with SaveState and restored into a fresh session with
/// LoadState continues exactly as the uninterrupted session: same kept rows, weights, backward
/// selections and statistics, bit for bit.
/// </summary>
public class SessionStateTests
{
    private const int Rows = 600;
    private const int Epochs = 5;

    // The built-in methods, and AutoAssist with every element of its rule on.
    private const string AutoAssistEveryElement = "AutoAssist, every element";

    public static TheoryData<string> Methods => new(SelectionMethods.Names.Take(6).Append(AutoAssistEveryElement));

    private static AutoAssistFilterOptions Options(string method)
    {
        var selection = method == AutoAssistEveryElement
            ? new AutoAssistOptions
            {
                KeepRule = AutoAssistKeepRule.EasyOnly,
                StalenessDiscount = 0.5f,
                MinClassKeepShare = 0.3f,
                MinAssistantAuc = 0.55f,
                ShrinkRampEpochs = 2,
                NormalizeWeightsPerBatch = true,
            }
            : SelectionMethods.Create(method);
        if (selection is AutoAssistOptions autoAssist)
        {
            autoAssist.BaseKeepProbability = 0.2f;
            autoAssist.AdaptiveFloor = true;
        }
        return new AutoAssistFilterOptions { Selection = selection, AssistantLearningRate = 0.3f, Seed = 5 };
    }

    private static SelectiveTrainingSession Open(MLContext ml, IDataView data, string method)
        => SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(Options(method)).Fit(data).Transform(data), ["Features", "Label"], seed: 1);

    /// <summary>A made-up loss that depends only on the row (its number) and the epoch.</summary>
    private static float Loss(float rowNumber, int epoch)
    {
        int row = (int)rowNumber;
        float hard = row % 3 == 0 ? 2f : 0.2f;
        return hard / (1 + epoch) + 0.01f * ((row * 7919 + epoch * 104_729) % 97);
    }

    /// <summary>Plays the Boss for one epoch and writes down everything the selection decided.</summary>
    private static void RunEpoch(SelectiveTrainingSession session, List<string> log)
    {
        using var epoch = session.OpenEpoch(progress: (double)session.NextEpoch / Epochs);
        var id = epoch.GetIdGetter();
        var features = epoch.GetGetter<VBuffer<float>>(epoch.Schema["Features"]);
        var ids = new List<DataViewRowId>();
        var losses = new List<float>();
        var weights = new List<float>();
        DataViewRowId value = default;
        VBuffer<float> row = default;
        void Flush()
        {
            var batchLosses = losses.ToArray();
            var batchWeights = weights.ToArray();
            session.ReportLosses(ids.ToArray(), batchLosses);
            session.SelectForBackward(batchLosses, batchWeights);
            log.Add($"epoch {epoch.Index}: {string.Join(",", ids.Select(i => i.Low))} weights {Bits(batchWeights)}");
            ids.Clear();
            losses.Clear();
            weights.Clear();
        }
        while (epoch.MoveNext())
        {
            id(ref value);
            features(ref row);
            ids.Add(value);
            losses.Add(Loss(row.GetValues()[1], epoch.Index));
            weights.Add(epoch.Weight);
            if (ids.Count == 32)
                Flush();
        }
        if (ids.Count > 0)
            Flush();
    }

    private static string Bits(IEnumerable<float> values) => string.Join(",", values.Select(v => BitConverter.SingleToUInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture)));

    private static string Describe(EpochStatistics s) => string.Join(" ",
        s.Epoch, s.Method, s.RowsConsidered, s.RowsKept, s.RowsBackpropagated, s.RowsReported, s.RowsFeedbackDropped,
        BitConverter.DoubleToInt64Bits(s.Threshold), BitConverter.DoubleToInt64Bits(s.AssistantAccuracy), BitConverter.DoubleToInt64Bits(s.AssistantAuc),
        BitConverter.DoubleToInt64Bits(s.AssistantConfidence), BitConverter.DoubleToInt64Bits(s.BaseKeepProbability), BitConverter.DoubleToInt64Bits(s.ClassPriorAuc));

    [Theory]
    [MemberData(nameof(Methods))]
    public void AResumedSessionContinuesBitForBit(string method)
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, Rows);
        const int checkpointAfter = 2;

        var uninterrupted = new List<string>();
        List<string> uninterruptedStatistics;
        using (var session = Open(ml, data, method))
        {
            for (int e = 0; e < Epochs; e++)
                RunEpoch(session, uninterrupted);
            uninterruptedStatistics = session.Statistics.Epochs.Select(Describe).ToList();
        }

        var resumed = new List<string>();
        var state = new MemoryStream();
        using (var first = Open(ml, data, method))
        {
            for (int e = 0; e < checkpointAfter; e++)
                RunEpoch(first, resumed);
            first.SaveState(state);
            // The checkpointed session may go on; what it does after the checkpoint must not matter.
            RunEpoch(first, []);
        }
        state.Position = 0;
        using (var second = Open(ml, data, method))
        {
            second.LoadState(state);
            Assert.Equal(checkpointAfter, second.NextEpoch);
            for (int e = checkpointAfter; e < Epochs; e++)
                RunEpoch(second, resumed);
            Assert.Equal(uninterruptedStatistics, second.Statistics.Epochs.Select(Describe).ToList());
        }
        Assert.Equal(uninterrupted, resumed);
    }

    [Fact]
    public void StateMustBeSavedBetweenEpochsAndLoadedBeforeTheFirst()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 50);
        using var session = Open(ml, data, AutoAssistOptions.MethodName);
        var state = new MemoryStream();
        using (var epoch = session.OpenEpoch())
            Assert.Throws<InvalidOperationException>(() => session.SaveState(state));
        session.SaveState(state);
        Assert.Throws<InvalidOperationException>(() => session.LoadState(new MemoryStream(state.ToArray())));

        using var other = Open(ml, data, InfoBatchOptions.MethodName);
        var error = Assert.Throws<InvalidDataException>(() => other.LoadState(new MemoryStream(state.ToArray())));
        Assert.Contains("AutoAssist", error.Message);
        Assert.Throws<InvalidDataException>(() => other.LoadState(new MemoryStream([1, 2, 3])));
    }

    private sealed class StatelessAssistant : IAssistant
    {
        public IReadOnlyList<string> InputColumnNames => ["Features"];
        public void Initialize(AssistantTrainingRows rows, int seed) { }
        public void Score(ReadOnlySpan<int> rowIndices, Span<float> probabilities) => probabilities.Fill(0.5f);
        public void Update(ReadOnlySpan<int> rowIndices, ReadOnlySpan<float> targets) { }
    }

    [Fact]
    public void AnAssistantThatCannotSaveItsStateSaysWhichOneItIs()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 50);
        var options = new AutoAssistFilterOptions { AssistantFactory = () => new StatelessAssistant(), Seed = 1 };
        using var session = SelectiveTrainingSession.Open(ml, ml.Transforms.AutoAssistFilter(options).Fit(data).Transform(data), ["Features"], 1);
        var error = Assert.Throws<NotSupportedException>(() => session.SaveState(new MemoryStream()));
        Assert.Contains(nameof(StatelessAssistant), error.Message);
    }
}
