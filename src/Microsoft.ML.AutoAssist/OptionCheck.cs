namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The one way option classes reject a value: an <see cref="ArgumentOutOfRangeException"/> whose
/// message names the option as users write it ("ImageClassificationTrainerOptions.StepDecayGamma
/// must be in (0, 1]."), raised when the estimator is created rather than deep inside Fit.
/// </summary>
internal static class OptionCheck
{
    /// <summary>Throws unless <paramref name="ok"/>.</summary>
    /// <param name="ok">Whether the value is acceptable.</param>
    /// <param name="owner">The options class, e.g. <c>nameof(AutoAssistFilterOptions)</c>.</param>
    /// <param name="name">The option (field or property) name.</param>
    /// <param name="value">The rejected value, shown in the message.</param>
    /// <param name="rule">What the value must be, completing "Owner.Name ...", e.g. "must be at least 1".</param>
    public static void That(bool ok, string owner, string name, object? value, string rule)
    {
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"{owner}.{name} {rule}.");
    }

    /// <summary>The settings every built-in Assistant's SGD has.</summary>
    public static void LearningRateAndL2(string owner, float learningRate, float l2)
    {
        That(learningRate > 0 && float.IsFinite(learningRate), owner, nameof(learningRate), learningRate, "must be a positive number");
        That(l2 >= 0 && float.IsFinite(l2), owner, nameof(l2), l2, "must be zero or positive");
    }
}
