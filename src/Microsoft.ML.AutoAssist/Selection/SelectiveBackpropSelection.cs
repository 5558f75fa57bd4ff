namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Selective Backprop (Jiang et al. 2019): every row is forwarded; a row is backpropagated with
/// probability max(floor, percentile(loss)^β), the percentile taken among recent losses. The
/// defaults are the authors' (their code, angelajiang/SelectiveBackprop): β = 3 (<c>--prob_pow</c>),
/// a history of 1024 losses, no floor (<c>sampling_min = 0</c>), and a priming pass: the first
/// epoch's worth of rows is backpropagated in full (<c>num_images_to_prime</c> = the training set).
/// As theirs, the scoring forward pass runs the Boss in eval mode, so it moves no batch-norm statistics.
/// </summary>
public sealed class SelectiveBackpropOptions : SelectionMethodOptions
{
    /// <summary>The name the method is saved under.</summary>
    public const string MethodName = "SelectiveBackprop";

    /// <summary>Exponent β of the percentile. Positive.</summary>
    public float Beta = 3f;

    /// <summary>Lowest backprop probability. In [0, 1]; with 0 (the authors') the row with the lowest recent loss is never backpropagated.</summary>
    public float Floor;

    /// <summary>How many recent losses the percentile is taken among. At least 1.</summary>
    public int HistorySize = 1024;

    /// <summary>
    /// Epochs at the start that backpropagate every row (the priming pass), before the history of
    /// losses means anything. Their losses are not added to the history, as in the authors' code. At least 0.
    /// </summary>
    public int PrimeEpochs = 1;

    /// <inheritdoc/>
    /// <remarks>Layout 2 added <see cref="PrimeEpochs"/>; options saved in layout 1 load with 0, as they trained.</remarks>
    public override int OptionsVersion => 2;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override void Validate()
    {
        Check(Beta > 0 && float.IsFinite(Beta), nameof(Beta), Beta, "must be positive");
        Check(Floor >= 0 && Floor <= 1, nameof(Floor), Floor, "must be in [0, 1]");
        Check(HistorySize >= 1, nameof(HistorySize), HistorySize, "must be at least 1");
        Check(PrimeEpochs >= 0, nameof(PrimeEpochs), PrimeEpochs, "must be at least 0");
    }

    /// <inheritdoc/>
    public override SelectionPolicy CreatePolicy(SelectionContext context) => new SelectiveBackpropPolicy(Beta, Floor, HistorySize, PrimeEpochs);

    /// <inheritdoc/>
    public override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(Beta);
        writer.Write(Floor);
        writer.Write(HistorySize);
        writer.Write(PrimeEpochs);
    }

    /// <inheritdoc/>
    public override void LoadOptions(BinaryReader reader, int version)
    {
        Beta = reader.ReadSingle();
        Floor = reader.ReadSingle();
        HistorySize = reader.ReadInt32();
        PrimeEpochs = version >= 2 ? reader.ReadInt32() : 0;
    }

    /// <summary>
    /// Every row goes forward; after the forward pass a row is backpropagated with probability
    /// max(floor, percentile(loss)^β) among the last historySize losses seen. Selected rows keep
    /// their weight, as in the original method. During the priming epochs every row is
    /// backpropagated and the history is left alone. Its state is the ring of recent losses.
    /// </summary>
    private sealed class SelectiveBackpropPolicy(float beta, float floor, int historySize, int primeEpochs) : SelectionPolicy
    {
        private readonly float[] _history = new float[historySize];
        private readonly float[] _sorted = new float[historySize];
        private int _historyCount;
        private int _historyNext;
        private bool _priming;

        public override bool SelectsAfterForward => true;

        public override void OnEpochStart(int epoch, double progress) => _priming = epoch < primeEpochs;

        public override void DecideKeep(ReadOnlySpan<int> rows, Span<float> weights, Random random) => weights.Fill(1f);

        public override void SelectForBackward(ReadOnlySpan<float> losses, Span<float> weights, Random random)
        {
            if (_priming)
                return;
            foreach (var loss in losses)
            {
                _history[_historyNext] = loss;
                _historyNext = (_historyNext + 1) % _history.Length;
                _historyCount = Math.Min(_historyCount + 1, _history.Length);
            }
            var sorted = _sorted.AsSpan(0, _historyCount);
            _history.AsSpan(0, _historyCount).CopyTo(sorted);
            sorted.Sort();
            for (int i = 0; i < losses.Length; i++)
            {
                // Share of the recent losses strictly below this one.
                float percentile = (float)LowerBound(sorted, losses[i]) / sorted.Length;
                float p = Math.Max(floor, MathF.Pow(percentile, beta));
                if (random.NextSingle() >= p)
                    weights[i] = 0f;
            }
        }

        public override void SaveState(BinaryWriter writer)
        {
            writer.Write(_historyCount);
            writer.Write(_historyNext);
            for (int i = 0; i < _historyCount; i++)
                writer.Write(_history[i]);
        }

        public override void LoadState(BinaryReader reader)
        {
            int count = reader.ReadInt32();
            int next = reader.ReadInt32();
            if (count < 0 || count > _history.Length || next < 0 || next >= _history.Length)
                throw new InvalidDataException($"The saved Selective Backprop history ({count} losses, next {next}) does not fit a history of {_history.Length}; load it with the HistorySize it was saved with.");
            _historyCount = count;
            _historyNext = next;
            for (int i = 0; i < count; i++)
                _history[i] = reader.ReadSingle();
        }

        private static int LowerBound(ReadOnlySpan<float> sorted, float value)
        {
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < value) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }
}
