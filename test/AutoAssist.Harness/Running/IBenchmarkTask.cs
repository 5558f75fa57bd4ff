using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>
/// A task the harness can benchmark: it owns the data and the Boss trainer, and trains once per
/// (method, seed) with the filter options it is given.
/// </summary>
public interface IBenchmarkTask
{
    /// <summary>The name of the test metric (e.g. "accuracy").</summary>
    string MetricName { get; }

    /// <summary>Training rows.</summary>
    int TrainingRowCount { get; }

    /// <summary>Test rows.</summary>
    int TestRowCount { get; }

    /// <summary>Points the filter at the task's columns.</summary>
    void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions);

    /// <summary>Trains the Boss behind the filter and returns its report.</summary>
    TrainingReport Train(AutoAssistFilterOptions filterOptions, int seed, IProgress<TrainingProgress> progress);
}
