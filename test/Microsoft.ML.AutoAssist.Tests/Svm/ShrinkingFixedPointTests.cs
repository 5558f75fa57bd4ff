using AutoAssist.Harness.Svm;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Svm.SvmTestData;

namespace Microsoft.ML.AutoAssist.Tests.Svm;

/// <summary>
/// Shrinking as the authors coded it skips the regulariser's step with the row, so it settles at
/// the optimum of the SVM whose λ is scaled by the mean keep rate, not at the optimum of λ
/// (docs/benchmarks.md, "Why shrinking levels off"). This pins that behaviour down.
/// </summary>
public class ShrinkingFixedPointTests
{
    [Fact]
    public void ShrinkingSettlesAtTheOptimumOfLambdaTimesTheKeepRate()
    {
        var ml = new MLContext(seed: 1);
        var rows = SvmRows.Read(ml.Data.LoadFromEnumerable(Separable(300)), "Label", "Features", 1, CancellationToken.None);
        var options = new ShrinkingSvmTrainerOptions { Selection = SvmInstanceSelection.AutoAssistShrinking, Cost = 1 };
        var solver = ShrinkingSvmTrainer.CreateSolver(rows, options, seed: 1);
        solver.Run(300L * rows.Count);
        long updates = solver.Updates, visits = solver.Visited;
        // The average of the last epochs' iterates, which settles where single iterates only hover.
        const int averaged = 100;
        var average = new double[rows.WeightCount];
        for (int e = 0; e < averaged; e++)
        {
            solver.Run(rows.Count);
            var w = solver.Weights();
            for (int j = 0; j < w.Length; j++)
                average[j] += w[j] / averaged;
        }
        double keepRate = (double)(solver.Updates - updates) / (solver.Visited - visits);
        Assert.InRange(keepRate, 0.3, 0.99);

        double RelativeGap(double lambdaFactor)
        {
            var (optimum, _) = DualCoordinateDescent.Solve(rows, options.Cost / lambdaFactor, SvmLoss.Hinge, 1e-7, 5000, seed: 1);
            double best = PegasosSolver.PrimalObjective(rows, optimum, solver.Lambda * lambdaFactor, SvmLoss.Hinge);
            return (PegasosSolver.PrimalObjective(rows, average, solver.Lambda * lambdaFactor, SvmLoss.Hinge) - best) / best;
        }
        double gapToLambda = RelativeGap(1), gapToScaledLambda = RelativeGap(keepRate);
        Assert.True(gapToScaledLambda < gapToLambda / 5, $"gap to the optimum of λ: {gapToLambda}; of λ × {keepRate:F3}: {gapToScaledLambda}");
    }
}
