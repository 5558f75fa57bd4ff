using TorchSharp;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Counts the TorchSharp tensors that are alive on the calling thread, for leak tests and
/// diagnostics. Reads TorchSharp's own bookkeeping (<see cref="DisposeScopeManager.Statistics"/>):
/// tensors created minus tensors disposed, in and outside dispose scopes.
/// </summary>
/// <remarks>
/// The counts are per thread: a tensor created here and disposed on another thread (or by the
/// finalizer) still counts here. Measure a difference around work done on one thread.
/// </remarks>
internal static class LiveTensors
{
    /// <summary>Tensors created on this thread and not yet disposed.</summary>
    public static long Count => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
}
