namespace AutoAssist.Harness.Configuration;

/// <summary>The rows a metric is measured on.</summary>
public enum MetricSplit
{
    /// <summary>The test split: the published numbers.</summary>
    Test,

    /// <summary>Rows carved out of the training split (never trained on): what settings are chosen on, so the test set stays unseen.</summary>
    Validation,
}
