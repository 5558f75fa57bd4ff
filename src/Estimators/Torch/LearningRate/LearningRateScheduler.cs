using TorchSharp;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Computes the learning rate for a point of training progress and writes it into an optimizer.
/// Stateless: the rate depends on progress alone, so resuming from a checkpoint needs only the
/// saved progress, and a change in epoch length (rows dropped by a filter) cannot skew it.
/// </summary>
/// <remarks>
/// With a warm-up fraction w &gt; 0 the rate rises linearly from 0 (progress 0) to the base rate
/// (progress w); the chosen schedule then runs over the remaining progress, rescaled to [0, 1],
/// so a cosine still ends at its minimum and step milestones are fractions of the post-warm-up part.
/// The inverse-square-root schedule is the exception: it decays with raw progress (as the
/// Transformer schedule decays with the raw step count), from the base rate at the end of warm-up.
/// </remarks>
internal sealed class LearningRateScheduler
{
    private readonly double[] _milestones;

    /// <param name="baseLearningRate">Peak learning rate, finite and positive.</param>
    /// <param name="schedule">Shape of the schedule after warm-up.</param>
    /// <param name="warmupFraction">Fraction of training spent warming up linearly from 0, in [0, 1).</param>
    /// <param name="minLearningRate">Cosine's final rate, in [0, base].</param>
    /// <param name="milestones">Step decay's milestones as fractions in (0, 1); default 0.5 and 0.75 (He et al. 2016).</param>
    /// <param name="gamma">Step decay's factor per milestone, in (0, 1].</param>
    public LearningRateScheduler(
        double baseLearningRate,
        LearningRateSchedule schedule,
        double warmupFraction = 0,
        double minLearningRate = 0,
        IReadOnlyList<double>? milestones = null,
        double gamma = 0.1)
    {
        if (!double.IsFinite(baseLearningRate) || baseLearningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "The learning rate must be finite and positive.");
        if (!Enum.IsDefined(schedule))
            throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown learning-rate schedule.");
        if (!(warmupFraction >= 0 && warmupFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "The warm-up fraction must be in [0, 1).");
        if (!(minLearningRate >= 0 && minLearningRate <= baseLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, $"The minimum learning rate must be in [0, {baseLearningRate}].");
        if (!(gamma > 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The step-decay factor must be in (0, 1].");

        if (schedule == LearningRateSchedule.InverseSquareRoot && warmupFraction <= 0)
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "The inverse-square-root schedule needs a warm-up fraction above 0.");

        _milestones = (milestones ?? [0.5, 0.75]).ToArray();
        if (!AreValidMilestones(_milestones))
            throw new ArgumentException($"Step-decay milestones must be increasing fractions in (0, 1); got [{string.Join(", ", _milestones)}].", nameof(milestones));

        BaseLearningRate = baseLearningRate;
        Schedule = schedule;
        WarmupFraction = warmupFraction;
        MinLearningRate = minLearningRate;
        Gamma = gamma;
    }

    public double BaseLearningRate { get; }
    public LearningRateSchedule Schedule { get; }
    public double WarmupFraction { get; }
    public double MinLearningRate { get; }
    public IReadOnlyList<double> Milestones => _milestones;
    public double Gamma { get; }

    /// <summary>Whether <paramref name="milestones"/> are strictly increasing fractions in (0, 1).</summary>
    public static bool AreValidMilestones(IReadOnlyList<double> milestones)
    {
        for (int i = 0; i < milestones.Count; i++)
        {
            if (!(milestones[i] > 0 && milestones[i] < 1) || (i > 0 && milestones[i] <= milestones[i - 1]))
                return false;
        }
        return true;
    }

    /// <summary>The learning rate at <paramref name="progress"/>, clamped to [0, 1].</summary>
    /// <param name="progress">Fraction of the planned optimizer steps already taken.</param>
    public double LearningRateAt(double progress)
    {
        if (double.IsNaN(progress)) throw new ArgumentOutOfRangeException(nameof(progress), progress, "Training progress is NaN.");
        progress = Math.Clamp(progress, 0, 1);

        if (progress < WarmupFraction)
        {
            return BaseLearningRate * progress / WarmupFraction;
        }

        double q = (progress - WarmupFraction) / (1 - WarmupFraction);
        return Schedule switch
        {
            LearningRateSchedule.Constant => BaseLearningRate,
            LearningRateSchedule.Cosine => MinLearningRate + (BaseLearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * q)),
            LearningRateSchedule.StepDecay => BaseLearningRate * Math.Pow(Gamma, _milestones.Count(m => q >= m)),
            // On raw progress, not the rescaled q: in steps this is Vaswani's min(step / warm-up, sqrt(warm-up / step)).
            LearningRateSchedule.InverseSquareRoot => BaseLearningRate * Math.Sqrt(WarmupFraction / progress),
            _ => throw new InvalidOperationException($"Unknown learning-rate schedule {Schedule}."),
        };
    }

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to the rate at <paramref name="progress"/>.</summary>
    /// <returns>The rate that was set.</returns>
    public double Apply(torch.optim.Optimizer optimizer, double progress)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        double lr = LearningRateAt(progress);
        SetRate(optimizer, lr);
        return lr;
    }

    /// <summary>Sets every parameter group of <paramref name="optimizer"/> to <paramref name="learningRate"/>.</summary>
    public static void SetRate(torch.optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }
}
