using System.Text.Json.Serialization;

namespace AutoAssist.Harness.Running;

/// <summary>One measurement of the metric during a run (on the test split unless the benchmark selects on validation).</summary>
/// <param name="Seconds">Training time when measured, evaluation time excluded.</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Epoch">Epoch in progress (0-based pass over the data).</param>
/// <param name="RowsForwarded">Rows through the Boss's forward pass so far.</param>
/// <param name="RowsBackpropagated">Rows backpropagated so far: the Boss's compute.</param>
/// <param name="Metric">The metric (accuracy for image classification).</param>
public sealed record CurvePoint(double Seconds, long Step, int Epoch, long RowsForwarded, long RowsBackpropagated, double Metric);

/// <summary>The selection's statistics for one epoch of a run (NaN where a method has no such statistic).</summary>
public sealed record SelectionEpochRecord(
    int Epoch,
    long RowsConsidered,
    long RowsKept,
    double KeptFraction,
    long RowsBackpropagated,
    double BackpropagatedFraction,
    double Threshold,
    double AssistantAccuracy,
    double AssistantAuc,
    double AssistantConfidence,
    double BaseKeepProbability,
    long RowsFeedbackDropped)
{
    /// <summary>AUC of the class prior over the Assistant's feedback window (AutoAssist with a key label; NaN otherwise or in runs stored before it).</summary>
    public double ClassPriorAuc { get; init; } = double.NaN;

    /// <summary>Rows kept per class (index = class); null while the trainer's report does not give them.</summary>
    public IReadOnlyList<long>? KeptByClass { get; init; }

    /// <summary>Rows considered per class (index = class); null while the trainer's report does not give them.</summary>
    public IReadOnlyList<long>? ConsideredByClass { get; init; }
}

/// <summary>What one (method, seed) training run did and measured.</summary>
public sealed record RunResult
{
    /// <summary>The method's name in reports.</summary>
    public required string Method { get; init; }

    /// <summary>The seed of the weights, the data order and the selection.</summary>
    public required int Seed { get; init; }

    /// <summary>Training rows.</summary>
    public required int RowCount { get; init; }

    /// <summary>Training time, evaluation excluded, in seconds.</summary>
    public required double TrainingSeconds { get; init; }

    /// <summary>Time spent measuring the test metric, in seconds (reported apart).</summary>
    public required double EvaluationSeconds { get; init; }

    /// <summary>Rows through the Boss's forward pass.</summary>
    public required long RowsForwarded { get; init; }

    /// <summary>Rows backpropagated.</summary>
    public required long RowsBackpropagated { get; init; }

    /// <summary>Optimizer steps.</summary>
    public required long Steps { get; init; }

    /// <summary>Passes over the data completed.</summary>
    public required int Epochs { get; init; }

    /// <summary>The test metric over training time, in order.</summary>
    public required IReadOnlyList<CurvePoint> Curve { get; init; }

    /// <summary>The selection's statistics per epoch.</summary>
    public IReadOnlyList<SelectionEpochRecord> SelectionEpochs { get; init; } = [];

    /// <summary>The test metric of the final model; null when not measured (the classic benchmark reads the curve).</summary>
    public double? FinalTestMetric { get; init; }

    /// <summary>The validation metric of the final model; null without a validation split.</summary>
    public double? FinalValidationMetric { get; init; }

    /// <summary>A few test sentences and the final model's translations of them; null where the task shows none (images).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TranslationExample>? Examples { get; init; }

    /// <summary>Boss compute in epochs of the full data (rows backpropagated / training rows).</summary>
    [JsonIgnore]
    public double EquivalentEpochs => RowCount == 0 ? double.NaN : (double)RowsBackpropagated / RowCount;

    /// <summary>The last measurement of the curve's metric (NaN when there is none).</summary>
    [JsonIgnore]
    public double FinalMetric => Curve.Count == 0 ? double.NaN : Curve[^1].Metric;
}

/// <summary>A test sentence, its reference translation and the final model's.</summary>
public sealed record TranslationExample(string Origin, string Source, string Reference, string Translation);
