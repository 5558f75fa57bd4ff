namespace AutoAssist.Harness.Configuration;

/// <summary>One cell of a frontier: a method trained for a share of the reference budget.</summary>
/// <param name="Method">The method.</param>
/// <param name="Fraction">The share of the reference budget.</param>
/// <param name="Steps">The budget in Boss optimizer steps: round(fraction × reference steps).</param>
public sealed record BudgetCell(BenchmarkMethod Method, double Fraction, long Steps);

/// <summary>
/// Budgets in Boss optimizer steps. The reference budget B is what plain training takes for the
/// given passes: epochs × ceil(training rows / batch). Every method trains at every fraction f
/// with MaxSteps = round(f × B), so the trainer anneals its learning rate over that budget and
/// every point of the frontier is a finished model, not a snapshot of a longer schedule.
/// </summary>
public sealed class BudgetPlan
{
    /// <summary>The fraction whose uniform run is the reference of every ratio (B itself).</summary>
    public const double ReferenceFraction = 1.0;

    /// <summary>A plan for <paramref name="trainingRows"/> rows with the options' epochs, batch size and fractions.</summary>
    public BudgetPlan(HarnessOptions options, int trainingRows)
    {
        ArgumentNullException.ThrowIfNull(options);
        ReferenceSteps = ReferenceStepsFor(options.Epochs, trainingRows, options.BatchSize);
        var cells = new List<BudgetCell>();
        // Fraction by fraction, every method that has it: neighbouring runs are different methods,
        // so a slow drift of the machine is shared rather than loaded onto one method.
        var fractions = options.Methods.SelectMany(options.FractionsFor).Distinct().Order().ToList();
        foreach (double fraction in fractions)
        {
            foreach (var method in options.Methods)
            {
                if (options.FractionsFor(method).Contains(fraction))
                    cells.Add(new BudgetCell(method, fraction, StepsFor(fraction, ReferenceSteps)));
            }
        }
        Cells = cells;
    }

    /// <summary>B: the optimizer steps of plain training over the reference passes.</summary>
    public long ReferenceSteps { get; }

    /// <summary>Every (method, fraction) to run for each seed, in run order before rotation.</summary>
    public IReadOnlyList<BudgetCell> Cells { get; }

    /// <summary>epochs × ceil(rows / batch): a last partial batch is a step too, as the trainer counts it.</summary>
    public static long ReferenceStepsFor(int epochs, int trainingRows, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainingRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return epochs * (((long)trainingRows + batchSize - 1) / batchSize);
    }

    /// <summary>round(fraction × reference steps), halves away from zero, and at least one step.</summary>
    public static long StepsFor(double fraction, long referenceSteps)
        => Math.Max(1, (long)Math.Round(fraction * referenceSteps, MidpointRounding.AwayFromZero));
}
