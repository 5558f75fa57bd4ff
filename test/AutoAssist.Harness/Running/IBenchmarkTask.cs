using AutoAssist.Harness.Configuration;
using System.Text.Json.Nodes;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Running;

/// <summary>
/// A task the harness can benchmark: it owns the data and the Boss trainer, and trains once per
/// (method, seed) with the filter options it is given.
/// </summary>
public interface IBenchmarkTask
{
    /// <summary>The name of the metric (e.g. "accuracy").</summary>
    string MetricName { get; }

    /// <summary>The Boss's name in reports and the store (e.g. "resnet20").</summary>
    string ModelName { get; }

    /// <summary>The split the learning curves are measured on: "test" or "validation".</summary>
    string CurveSplit { get; }

    /// <summary>Training rows (without the validation rows carved out of them).</summary>
    int TrainingRowCount { get; }

    /// <summary>Validation rows carved out of the training split (0: none).</summary>
    int ValidationRowCount { get; }

    /// <summary>Test rows.</summary>
    int TestRowCount { get; }

    /// <summary>Points the filter at the task's columns.</summary>
    void ConfigureFilterColumns(AutoAssistFilterOptions filterOptions);

    /// <summary>
    /// The trainer's options a run would train with (its progress sink left out), recorded as the
    /// run's effective settings.
    /// </summary>
    /// <param name="method">The method: its own trainer settings (<see cref="BenchmarkMethod.TrainerOverrides"/>) apply after the command line's.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="maxSteps">The run's step budget; null: the configured passes.</param>
    object TrainerOptionsFor(BenchmarkMethod method, int seed, long? maxSteps);

    /// <summary>What data the runs train and measure on (data set, rows of each split, how the validation rows were drawn).</summary>
    JsonObject DescribeData();

    /// <summary>
    /// Trains the Boss behind the filter, for <paramref name="maxSteps"/> optimizer steps when given
    /// (else the configured passes), with <paramref name="method"/>'s own trainer settings after the
    /// command line's, and returns what the run measured under the method's name.
    /// </summary>
    RunResult Train(BenchmarkMethod method, AutoAssistFilterOptions filterOptions, int seed, long? maxSteps, IProgress<TrainingProgress> progress);
}
