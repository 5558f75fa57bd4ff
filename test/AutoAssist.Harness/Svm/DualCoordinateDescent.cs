using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Svm;

/// <summary>
/// The reference optimum f*: dual coordinate descent for the L2-regularised hinge and squared
/// hinge (Hsieh et al., 2008, the method behind LIBLINEAR's -s 1 and -s 3), which converges
/// linearly, so a long run pins f* far more tightly than any stochastic method. LIBLINEAR's
/// ½‖w‖² + C·Σ loss has the same minimiser as f = λ/2·‖w‖² + (1/n)·Σ loss with λ = 1/(C·n).
/// </summary>
internal static class DualCoordinateDescent
{
    /// <summary>Runs until the largest projected-gradient violation of an epoch is below <paramref name="tolerance"/>, or <paramref name="maxEpochs"/>.</summary>
    public static (double[] Weights, int Epochs) Solve(SvmRows rows, double cost, SvmLoss loss, double tolerance, int maxEpochs, int seed)
    {
        int n = rows.Count;
        var w = new double[rows.WeightCount];
        var alpha = new double[n];
        // Hinge: box [0, C]. Squared hinge: no upper bound, and 1/(2C) on the diagonal.
        double upper = loss == SvmLoss.Hinge ? cost : double.PositiveInfinity;
        double diagonal = loss == SvmLoss.Hinge ? 0 : 1 / (2 * cost);
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        int epoch = 0;
        while (epoch < maxEpochs)
        {
            epoch++;
            random.Shuffle(order);
            double largestViolation = 0;
            foreach (int i in order)
            {
                double q = rows.SquaredNorms[i] + diagonal;
                if (q <= 0)
                    continue;
                double gradient = rows.Labels[i] * rows.Dot(w, i) - 1 + diagonal * alpha[i];
                double projected = alpha[i] <= 0 ? Math.Min(gradient, 0) : alpha[i] >= upper ? Math.Max(gradient, 0) : gradient;
                largestViolation = Math.Max(largestViolation, Math.Abs(projected));
                if (projected == 0)
                    continue;
                double updated = Math.Clamp(alpha[i] - gradient / q, 0, upper);
                rows.AddScaled(w, i, (updated - alpha[i]) * rows.Labels[i]);
                alpha[i] = updated;
            }
            if (largestViolation < tolerance)
                break;
        }
        return (w, epoch);
    }
}
