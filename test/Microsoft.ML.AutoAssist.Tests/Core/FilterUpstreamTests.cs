using Microsoft.ML.Data;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>A trainer that gets the filter's rows through other transforms or a cache still selects, or says why it cannot.</summary>
public class FilterUpstreamTests
{
    private static readonly AutoAssistFilterOptions Options = new() { Selection = new InfoBatchOptions(), Seed = 1 };

    [Fact]
    public void TransformsAfterTheFilterKeepItsSelection()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 200);
        var model = ml.Transforms.AutoAssistFilter(Options)
            .Append(ml.Transforms.NormalizeMinMax("Scaled", "Features"))
            .Append(ml.Transforms.CopyColumns("Copy", "RowNumber"))
            .Fit(data);
        using var session = SelectiveTrainingSession.Open(ml, model.Transform(data), ["Scaled", "Label"], seed: 1);
        Assert.Equal(InfoBatchOptions.MethodName, session.Method);
        Assert.Empty(session.Warnings);
    }

    [Fact]
    public void ACacheCheckpointAfterTheFilterKeepsItsSelection()
    {
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 200);
        var filtered = ml.Transforms.AutoAssistFilter(Options).Fit(data).Transform(data);
        using var session = SelectiveTrainingSession.Open(ml, ml.Data.Cache(filtered), ["Features", "Label"], seed: 1);
        Assert.Equal(InfoBatchOptions.MethodName, session.Method);
        Assert.Empty(session.Warnings);
    }

    [Fact]
    public void AnEstimatorChainWithACacheCheckpointBeforeTheTrainerSelects()
    {
        // What filter.AppendCacheCheckpoint(ml).Append(trainer) hands the trainer's Fit.
        var ml = new MLContext(1);
        var data = SyntheticRows.Load(ml, 200);
        var probe = new SessionProbe();
        ml.Transforms.AutoAssistFilter(Options).AppendCacheCheckpoint(ml).Append(probe).Fit(data);
        Assert.Equal(InfoBatchOptions.MethodName, probe.Method);
    }

    [Fact]
    public void ATransformThatChangesTheAssistantsColumnTrainsUniformlyAndSaysHowToFixIt()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
                messages.Add(e.Message);
        };
        var data = SyntheticRows.Load(ml, 200);
        var options = new AutoAssistFilterOptions { Seed = 1 }; // AutoAssist: its Assistant reads Features and Label
        var model = ml.Transforms.AutoAssistFilter(options)
            .Append(ml.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double))
            .Fit(data);
        using var session = SelectiveTrainingSession.Open(ml, model.Transform(data), ["Label"], seed: 1);
        Assert.Equal(UniformOptions.MethodName, session.Method);
        var warning = Assert.Single(session.Warnings);
        Assert.Contains("'Features'", warning);
        Assert.Contains("put AutoAssistFilter directly before the trainer", warning, StringComparison.OrdinalIgnoreCase);
        lock (messages)
            Assert.Contains(messages, m => m.Contains("AutoAssistFilter is in the pipeline", StringComparison.Ordinal));
    }

    /// <summary>An estimator that, like an AutoAssist-aware trainer, opens a session on what its Fit gets.</summary>
    private sealed class SessionProbe : IEstimator<ITransformer>
    {
        public string? Method { get; private set; }

        public ITransformer Fit(IDataView input)
        {
            using var session = SelectiveTrainingSession.Open(null, input, ["Features"], seed: 1);
            Method = session.Method;
            return new MLContext(1).Transforms.CopyColumns("Probe", "RowNumber").Fit(input);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema) => new MLContext(1).Transforms.CopyColumns("Probe", "RowNumber").GetOutputSchema(inputSchema);
    }
}
