using System.Globalization;
using System.Text;
using AutoAssist.Harness.Store;

namespace AutoAssist.Harness.Reporting;

/// <summary>The frontier's raw measurements as CSV: every measurement and every epoch of every run used, with its budget.</summary>
public static class FrontierCsvWriter
{
    /// <summary>The header of runs.csv.</summary>
    public const string RunsHeader =
        "method,fraction,budget_steps,seed,commit,point,seconds,step,epoch,rows_forwarded,rows_backpropagated,metric,on_fixed_grid," +
        "run_training_seconds,run_evaluation_seconds,final_test_metric,final_validation_metric";

    /// <summary>The header of epochs.csv (per-class counts are ';'-separated, one number per class).</summary>
    public const string EpochsHeader =
        "method,fraction,budget_steps,seed,epoch,rows_considered,rows_kept,kept_fraction,threshold,assistant_accuracy,assistant_auc," +
        "assistant_confidence,base_keep_probability,rows_feedback_dropped,kept_by_class,considered_by_class,class_prior_auc";

    /// <summary>runs.csv: one row per measurement; on_fixed_grid marks the points the report compares.</summary>
    public static string Runs(IReadOnlyList<StoredRun> runs)
    {
        var text = new StringBuilder(RunsHeader).Append('\n');
        foreach (var run in runs)
        {
            var grid = FixedStepGrid.Filter(run.Result.Curve, run.EvaluationIntervalSteps, run.Result.Steps).ToHashSet(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < run.Result.Curve.Count; i++)
            {
                var p = run.Result.Curve[i];
                AppendRow(text, Field(run.Method), Number(run.Fraction), Number(run.Steps), Number(run.Seed), Field(run.CodeCommit), Number(i),
                    Number(p.Seconds), Number(p.Step), Number(p.Epoch), Number(p.RowsForwarded), Number(p.RowsBackpropagated), Number(p.Metric),
                    grid.Contains(p) ? "1" : "0", Number(run.Result.TrainingSeconds), Number(run.Result.EvaluationSeconds),
                    Number(run.Result.FinalTestMetric), Number(run.Result.FinalValidationMetric));
            }
        }
        return text.ToString();
    }

    /// <summary>epochs.csv: one row per epoch with the selection's statistics.</summary>
    public static string Epochs(IReadOnlyList<StoredRun> runs)
    {
        var text = new StringBuilder(EpochsHeader).Append('\n');
        foreach (var run in runs)
        {
            foreach (var e in run.Result.SelectionEpochs)
            {
                AppendRow(text, Field(run.Method), Number(run.Fraction), Number(run.Steps), Number(run.Seed), Number(e.Epoch),
                    Number(e.RowsConsidered), Number(e.RowsKept), Number(e.KeptFraction), Number(e.Threshold), Number(e.AssistantAccuracy),
                    Number(e.AssistantAuc), Number(e.AssistantConfidence), Number(e.BaseKeepProbability), Number(e.RowsFeedbackDropped),
                    Counts(e.KeptByClass), Counts(e.ConsideredByClass), Number(e.ClassPriorAuc));
            }
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, params string[] fields) => text.AppendJoin(',', fields).Append('\n');

    private static string Counts(IReadOnlyList<long>? counts) => counts is null ? "" : string.Join(';', counts.Select(Number));

    // Empty for NaN and missing values: spreadsheet and pandas readers take an empty field as missing.
    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Field(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
