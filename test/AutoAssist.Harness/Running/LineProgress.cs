using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>
/// Writes each training report as one line, on the trainer's thread and in order
/// (<see cref="Progress{T}"/> would post to the thread pool and could reorder lines).
/// </summary>
public sealed class LineProgress(TextWriter writer, string prefix) : IProgress<TrainingProgress>
{
    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        lock (writer)
            writer.WriteLine($"{prefix} {value}");
    }
}
