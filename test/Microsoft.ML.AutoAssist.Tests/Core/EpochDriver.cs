using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Tests.Core;

/// <summary>Plays the Boss in tests: reads an epoch in batches and reports a made-up loss per row.</summary>
internal static class EpochDriver
{
    public sealed record EpochResult(List<DataViewRowId> KeptIds, List<float[]> KeptFeatures, List<float> Weights);

    public static EpochResult Run(SelectiveTrainingSession session, Func<float[], float>? loss, int batchSize = 64,
        double progress = double.NaN, CancellationToken cancellation = default, bool reportAtEnd = false)
    {
        var result = new EpochResult(new(), new(), new());
        var pending = new List<(DataViewRowId Id, float Loss)>();
        using var epoch = session.OpenEpoch(progress, cancellation);
        var idGetter = epoch.GetIdGetter();
        var featureGetter = epoch.GetGetter<VBuffer<float>>(epoch.Schema["Features"]);
        DataViewRowId id = default;
        VBuffer<float> features = default;
        void Flush()
        {
            if (pending.Count == 0)
                return;
            session.ReportLosses(pending.Select(p => p.Id).ToArray(), pending.Select(p => p.Loss).ToArray());
            pending.Clear();
        }
        while (epoch.MoveNext())
        {
            idGetter(ref id);
            featureGetter(ref features);
            var values = features.DenseValues().ToArray();
            result.KeptIds.Add(id);
            result.KeptFeatures.Add(values);
            result.Weights.Add(epoch.Weight);
            if (loss is not null)
            {
                pending.Add((id, loss(values)));
                if (!reportAtEnd && pending.Count == batchSize)
                    Flush();
            }
        }
        if (!reportAtEnd)
            Flush();
        else
            foreach (var chunk in pending.Chunk(batchSize).ToArray())
            {
                pending = chunk.ToList();
                Flush();
            }
        return result;
    }

    /// <summary>Reads the rest of an epoch and returns its rows' ids, in order.</summary>
    public static List<DataViewRowId> ReadIds(SelectionEpoch epoch)
    {
        var id = epoch.GetIdGetter();
        var ids = new List<DataViewRowId>();
        DataViewRowId value = default;
        while (epoch.MoveNext())
        {
            id(ref value);
            ids.Add(value);
        }
        return ids;
    }
}
