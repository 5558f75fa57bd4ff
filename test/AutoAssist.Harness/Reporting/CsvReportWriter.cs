using System.Globalization;
using System.Text;
using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Reporting;

/// <summary>Writes the raw measurements as CSV for anyone who wants to plot or test them differently.</summary>
public static class CsvReportWriter
{
    /// <summary>The header of runs.csv.</summary>
    public const string RunsHeader =
        "method,seed,point,seconds,step,epoch,rows_forwarded,rows_backpropagated,equivalent_epochs,metric,run_training_seconds,run_evaluation_seconds";

    /// <summary>The header of epochs.csv.</summary>
    public const string EpochsHeader =
        "method,seed,epoch,rows_considered,rows_kept,kept_fraction,rows_backpropagated,backpropagated_fraction,threshold,assistant_accuracy,assistant_auc,assistant_confidence,base_keep_probability,rows_feedback_dropped";

    /// <summary>runs.csv: one row per measurement of the test metric per run.</summary>
    public static string Runs(IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder(RunsHeader).Append('\n');
        foreach (var run in runs)
        {
            for (int i = 0; i < run.Curve.Count; i++)
            {
                var p = run.Curve[i];
                double equivalentEpochs = run.RowCount == 0 ? double.NaN : (double)p.RowsBackpropagated / run.RowCount;
                AppendRow(text, Field(run.Method), Number(run.Seed), Number(i), Number(p.Seconds), Number(p.Step), Number(p.Epoch),
                    Number(p.RowsForwarded), Number(p.RowsBackpropagated), Number(equivalentEpochs), Number(p.Metric),
                    Number(run.TrainingSeconds), Number(run.EvaluationSeconds));
            }
        }
        return text.ToString();
    }

    /// <summary>epochs.csv: one row per epoch per run with the selection's statistics.</summary>
    public static string Epochs(IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder(EpochsHeader).Append('\n');
        foreach (var run in runs)
        {
            foreach (var e in run.SelectionEpochs)
            {
                AppendRow(text, Field(run.Method), Number(run.Seed), Number(e.Epoch), Number(e.RowsConsidered), Number(e.RowsKept),
                    Number(e.KeptFraction), Number(e.RowsBackpropagated), Number(e.BackpropagatedFraction), Number(e.Threshold), Number(e.AssistantAccuracy), Number(e.AssistantAuc),
                    Number(e.AssistantConfidence), Number(e.BaseKeepProbability), Number(e.RowsFeedbackDropped));
            }
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, params string[] fields) => text.AppendJoin(',', fields).Append('\n');

    // Empty for NaN: spreadsheet and pandas readers take an empty field as missing.
    private static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Field(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
