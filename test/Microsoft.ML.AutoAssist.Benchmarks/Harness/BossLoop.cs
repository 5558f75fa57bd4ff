using Microsoft.ML.AutoAssist.Benchmarks.Data;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist.Benchmarks.Harness;

/// <summary>
/// What a trainer does with a cursor, minus the model: read the id, features and label of every
/// row, compute a (made-up, O(1)) loss and collect ids and losses in batches of 128. With a session
/// each full batch is reported (<see cref="SelectiveTrainingSession.ReportLosses"/>); without one the
/// batch is simply dropped, so the two loops differ only by the protocol.
/// </summary>
internal sealed class BossLoop
{
    public const int BatchSize = 128;

    private readonly DataViewRowId[] _ids = new DataViewRowId[BatchSize];
    private readonly float[] _losses = new float[BatchSize];
    // One feature buffer for every run, as a trainer keeps its own, so that every cursor compared
    // copies its rows into the same memory.
    private VBuffer<float> _features;

    /// <summary>Runs the loop to the end of the cursor; returns a checksum so that nothing is optimised away.</summary>
    /// <typeparam name="TCaller">
    /// A marker struct per benchmark, which gives each its own compiled copy of the loop: a trainer's
    /// loop only ever calls its own cursor's getters, and .NET's profile-guided JIT specialises the
    /// calls for them, while one loop shared by every cursor compared would be specialised for
    /// whichever it happened to see most while warming up.
    /// </typeparam>
    public double Run<TCaller>(DataViewRowCursor cursor, SelectiveTrainingSession? session) where TCaller : struct
    {
        var idGetter = cursor.GetIdGetter();
        var featureGetter = cursor.GetGetter<VBuffer<float>>(cursor.Schema[InMemoryImageDataView.FeaturesColumnName]);
        var labelGetter = cursor.GetGetter<uint>(cursor.Schema[InMemoryImageDataView.LabelColumnName]);
        DataViewRowId id = default;
        uint label = 0;
        double checksum = 0;
        int inBatch = 0;
        while (cursor.MoveNext())
        {
            idGetter(ref id);
            featureGetter(ref _features);
            labelGetter(ref label);
            float loss = SyntheticImageRows.BossLoss(_features.GetValues(), label);
            _ids[inBatch] = id;
            _losses[inBatch] = loss;
            checksum += loss;
            if (++inBatch == BatchSize)
            {
                session?.ReportLosses(_ids, _losses);
                inBatch = 0;
            }
        }
        if (inBatch > 0)
            session?.ReportLosses(_ids.AsSpan(0, inBatch), _losses.AsSpan(0, inBatch));
        return checksum;
    }
}
