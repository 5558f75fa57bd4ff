using System.Globalization;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>What a report says besides the runs themselves: what was run, where, when, and how the target is set.</summary>
public sealed record ReportContext
{
    /// <summary>Task (image).</summary>
    public required string Task { get; init; }

    /// <summary>Data set (fashion-mnist).</summary>
    public required string Dataset { get; init; }

    /// <summary>Model (resnet20).</summary>
    public required string Model { get; init; }

    /// <summary>Name of the metric (accuracy).</summary>
    public required string Metric { get; init; }

    /// <summary>The command line.</summary>
    public required string Command { get; init; }

    /// <summary>When it ran (ISO 8601).</summary>
    public required string Date { get; init; }

    /// <summary>The machine.</summary>
    public required string Machine { get; init; }

    /// <summary>Methods in run order, with their settings.</summary>
    public required IReadOnlyList<BenchmarkMethod> Methods { get; init; }

    /// <summary>The target when given on the command line.</summary>
    public double? Target { get; init; }

    /// <summary>Subtracted from uniform's mean final metric for the default target.</summary>
    public double TargetMargin { get; init; }

    /// <summary>Training rows (for compute in equivalent epochs).</summary>
    public int TrainingRows { get; init; }

    /// <summary>Other settings to record (epochs, batch size, ...).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The context of a harness run.</summary>
    public static ReportContext From(HarnessOptions options, IBenchmarkTask task, string machine, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(task);
        var culture = CultureInfo.InvariantCulture;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["epochs"] = options.Epochs.ToString(culture),
            ["train_rows"] = task.TrainingRowCount.ToString(culture),
            ["test_rows"] = task.TestRowCount.ToString(culture),
            ["batch_size"] = options.BatchSize.ToString(culture),
            ["learning_rate"] = options.LearningRate.ToString("R", culture),
            ["schedule"] = options.Schedule.ToString(),
            ["evaluation_interval_steps"] = options.EvaluationIntervalSteps.ToString(culture),
            ["seeds"] = string.Join(",", options.Seeds),
            ["torch_threads"] = options.Threads?.ToString(culture) ?? "default",
        };
        foreach (var (field, value) in options.TrainerOverrides)
            settings["trainer." + field] = value;
        foreach (var method in options.Methods)
        {
            foreach (var (field, value) in method.TrainerOverrides)
                settings[$"{method.Name}.trainer.{field}"] = value;
        }
        return new ReportContext
        {
            Task = options.Task,
            Dataset = options.Dataset,
            Model = task.ModelName,
            Metric = task.MetricName,
            Command = options.CommandLine,
            Date = date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", culture),
            Machine = machine,
            Methods = options.Methods,
            Target = options.Target,
            TargetMargin = options.TargetMargin,
            TrainingRows = task.TrainingRowCount,
            Settings = settings,
        };
    }
}
