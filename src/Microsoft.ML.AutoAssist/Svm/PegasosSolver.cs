namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Pegasos (Shalev-Shwartz et al.) for the L2-regularised hinge or squared hinge,
/// f(w) = λ/2·‖w‖² + (1/n)·Σ loss(yᵢ·w·xᵢ), with the instance selections of
/// <see cref="SvmInstanceSelection"/>. One visit is one stochastic step on one row: step size
/// η = 1/(λ(t + t₀)), t counting the rows visited before it (the loss's part of the step scaled by
/// 1/(n·p) under importance sampling); then w is projected onto the ball that holds the optimum.
/// The weights are kept as scale·v so that the regulariser's shrinking of w costs O(1), not O(d).
/// </summary>
internal sealed class PegasosSolver
{
    private readonly SvmRows _rows;
    private readonly SvmLoss _loss;
    private readonly SvmInstanceSelection _selection;
    private readonly double _lambda;
    private readonly double _stepOffset;
    private readonly double _baseKeepProbability;
    private readonly double _shrinkingTolerance;
    private readonly double _radiusSquared;
    private readonly Random _random;

    private readonly double[] _v;
    private double _scale = 1;
    /// <summary>‖w‖², kept up to date per step and recomputed exactly at each epoch's start against drift.</summary>
    private double _squaredNorm;

    private readonly int[] _order;
    private readonly double[]? _importance;
    private readonly AliasTable? _alias;
    private double _importanceSum;
    private int _positionInEpoch;

    public PegasosSolver(SvmRows rows, SvmLoss loss, SvmInstanceSelection selection, double cost, double stepOffset,
        double baseKeepProbability, double shrinkingTolerance, int seed)
    {
        _rows = rows;
        _loss = loss;
        _selection = selection;
        _lambda = 1.0 / (cost * rows.Count);
        _stepOffset = stepOffset;
        _baseKeepProbability = baseKeepProbability;
        _shrinkingTolerance = shrinkingTolerance;
        // f(w*) ≤ f(0) = 1 bounds ‖w*‖² by 2/λ; for the hinge, Pegasos's duality argument gives 1/λ.
        _radiusSquared = (loss == SvmLoss.Hinge ? 1.0 : 2.0) / _lambda;
        _random = new Random(seed);
        _v = new double[rows.WeightCount];
        _order = Enumerable.Range(0, rows.Count).ToArray();
        if (selection is SvmInstanceSelection.LossImportance or SvmInstanceSelection.GradientNormImportance)
        {
            _importance = new double[rows.Count];
            _alias = new AliasTable(rows.Count);
        }
    }

    public double Lambda => _lambda;

    /// <summary>Rows visited so far (the t of the step size).</summary>
    public long Visited { get; private set; }

    /// <summary>Visits that updated the model; fewer than <see cref="Visited"/> only under shrinking.</summary>
    public long Updates { get; private set; }

    /// <summary>Visits <paramref name="visits"/> rows; an epoch is <see cref="SvmRows.Count"/> visits.</summary>
    public void Run(long visits, CancellationToken cancellation = default)
    {
        for (long s = 0; s < visits; s++)
        {
            if ((s & 0x3FFF) == 0)
                cancellation.ThrowIfCancellationRequested();
            if (_positionInEpoch == 0)
                StartEpoch();
            Visit();
            if (++_positionInEpoch == _rows.Count)
                _positionInEpoch = 0;
        }
    }

    /// <summary>The current weights w (input features, then the bias feature's).</summary>
    public double[] Weights()
    {
        var w = new double[_v.Length];
        for (int j = 0; j < w.Length; j++)
            w[j] = _scale * _v[j];
        return w;
    }

    /// <summary>The primal objective f(w) on the training rows.</summary>
    public double Objective() => PrimalObjective(_rows, Weights(), _lambda, _loss);

    /// <summary>f(w) = λ/2·‖w‖² + (1/n)·Σ loss(yᵢ·w·xᵢ) for any weights, e.g. another trainer's.</summary>
    public static double PrimalObjective(SvmRows rows, double[] weights, double lambda, SvmLoss loss)
    {
        double squaredNorm = 0;
        foreach (double w in weights)
            squaredNorm += w * w;
        double lossSum = 0;
        for (int i = 0; i < rows.Count; i++)
            lossSum += Loss(loss, rows.Labels[i] * rows.Dot(weights, i));
        return 0.5 * lambda * squaredNorm + lossSum / rows.Count;
    }

    private static double Loss(SvmLoss loss, double margin)
    {
        double slack = Math.Max(0, 1 - margin);
        return loss == SvmLoss.Hinge ? slack : slack * slack;
    }

    /// <summary>−∂loss/∂margin: 1 (hinge) or 2(1 − margin) (squared hinge) while the margin is below 1, else 0.</summary>
    private double LossSlope(double margin)
        => margin >= 1 ? 0 : _loss == SvmLoss.Hinge ? 1 : 2 * (1 - margin);

    private void StartEpoch()
    {
        FoldScale();
        _squaredNorm = 0;
        foreach (double v in _v)
            _squaredNorm += v * v;

        if (_importance is null)
        {
            // Fisher–Yates: a fresh random order of the rows every epoch.
            for (int i = _order.Length - 1; i > 0; i--)
            {
                int j = _random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
            return;
        }

        double regulariser = 0.5 * _lambda * _squaredNorm;
        double sum = 0;
        for (int i = 0; i < _rows.Count; i++)
        {
            double wx = _rows.Dot(_v, i);
            double margin = _rows.Labels[i] * wx;
            double importance;
            if (_selection == SvmInstanceSelection.LossImportance)
                importance = regulariser + Loss(_loss, margin);
            else
            {
                // ‖λw − c·y·x‖² = λ²‖w‖² − 2λ·c·y·(w·x) + c²‖x‖², c the loss's slope.
                double c = LossSlope(margin);
                double squared = _lambda * _lambda * _squaredNorm - 2 * _lambda * c * _rows.Labels[i] * wx + c * c * _rows.SquaredNorms[i];
                importance = Math.Sqrt(Math.Max(0, squared));
            }
            _importance[i] = importance;
            sum += importance;
        }
        if (!(sum > 0) || !double.IsFinite(sum))
        {
            // Nothing to tell the rows apart (w = 0 with zero rows): sample uniformly.
            Array.Fill(_importance, 1.0);
            sum = _rows.Count;
        }
        _importanceSum = sum;
        _alias!.Build(_importance, sum);
    }

    private void Visit()
    {
        int i;
        double stepScale = 1;
        if (_alias is null)
            i = _order[_positionInEpoch];
        else
        {
            i = _alias.Sample(_random.NextDouble());
            stepScale = _importanceSum / (_rows.Count * _importance![i]);
        }

        double t = Visited++;
        double wx = _scale * _rows.Dot(_v, i);
        double margin = _rows.Labels[i] * wx;
        if (_selection == SvmInstanceSelection.AutoAssistShrinking)
        {
            // The authors' keep rule: a base probability, or the gradient's size less a tolerance that
            // shrinks with t. g is ‖x‖ (the hinge's gradient norm) while the hinge is active, else 0.
            double g = margin < 1 ? Math.Sqrt(_rows.SquaredNorms[i]) : 0;
            bool keep = _random.NextDouble() < _baseKeepProbability
                || _random.NextDouble() < g - _shrinkingTolerance / (t + 1);
            if (!keep)
                return;
        }
        Update(i, 1 / (_lambda * (t + _stepOffset)), stepScale, wx, margin);
    }

    /// <remarks>
    /// Importance sampling scales only the loss's step by 1/(n·p): λw is the same for every row, so
    /// the stochastic gradient λw + ∇lossᵢ/(n·pᵢ) is still unbiased. The authors' code scales the
    /// regulariser's step too, which for a rarely drawn row (small p) makes 1 − ηλ negative and
    /// flips w.
    /// </remarks>
    private void Update(int i, double eta, double stepScale, double wx, double margin)
    {
        // The regulariser's step scales w by 1 − ηλ = 1 − 1/(t + t₀), in (0, 1).
        double shrink = 1 - eta * _lambda;
        _scale *= shrink;
        _squaredNorm *= shrink * shrink;
        if (_scale < 1e-9)
            FoldScale();

        double step = _rows.Labels[i] * LossStep(eta * stepScale, margin, shrink, _rows.SquaredNorms[i]);
        if (step != 0)
        {
            _rows.AddScaled(_v, i, step / _scale);
            // ‖w' + a·x‖² = ‖w'‖² + 2a·(w'·x) + a²‖x‖², with w' = shrink·w.
            _squaredNorm += 2 * step * shrink * wx + step * step * _rows.SquaredNorms[i];
        }
        Updates++;

        if (_squaredNorm > _radiusSquared)
        {
            double factor = Math.Sqrt(_radiusSquared / _squaredNorm);
            _scale *= factor;
            _squaredNorm = _radiusSquared;
        }
    }

    /// <summary>
    /// The loss's step a (w += a·y·x) for a row at margin m = y·w·x before the regulariser's step.
    /// Hinge: Pegasos's explicit step η while m &lt; 1. Squared hinge: the implicit (proximal) step
    /// from w' = shrink·w, a = 2η(1 − m')/(1 + 2η‖x‖²) with m' = shrink·m, the solution of
    /// a = 2η(1 − y·(w' + a·y·x)·x). The explicit step
    /// 2η(1 − m) overshoots whenever 2η‖x‖² &gt; 1, which Pegasos's early η = 1/(λ(t + t₀)) always
    /// does for small λ: the squared hinge's gradient is unbounded, so the iterates oscillate on the
    /// projection ball. The implicit step equals the explicit one as η‖x‖² → 0.
    /// </summary>
    private double LossStep(double eta, double margin, double shrink, double squaredNorm)
    {
        if (_loss == SvmLoss.Hinge)
            return margin < 1 ? eta : 0;
        double shrunk = shrink * margin;
        return shrunk < 1 ? 2 * eta * (1 - shrunk) / (1 + 2 * eta * squaredNorm) : 0;
    }

    /// <summary>Moves the scale into v (w unchanged), so that a tiny scale does not cost precision.</summary>
    private void FoldScale()
    {
        for (int j = 0; j < _v.Length; j++)
            _v[j] *= _scale;
        _scale = 1;
    }
}
