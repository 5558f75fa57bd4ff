using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The image classifier's part of the shared scoring machinery: reads the image column, runs the
/// ResNet once per batch, and serves Score (class probabilities) and PredictedLabel (their arg max,
/// as a 1-based key) from that one pass.
/// </summary>
internal sealed class ImageScoring : IBossScoring
{
    private readonly ResNetScorer _scorer;
    private readonly string _featureColumnName;

    public ImageScoring(ResNetScorer scorer, string featureColumnName)
    {
        _scorer = scorer;
        _featureColumnName = featureColumnName;
        InputColumnNames = [featureColumnName];
    }

    public IReadOnlyList<string> InputColumnNames { get; }

    public ScoringBatch CreateBatch(int capacity) => new Batch(this, capacity);

    private sealed class Batch : ScoringBatch
    {
        private readonly ImageScoring _scoring;
        private readonly float[] _pixels;
        private readonly float[] _probabilities;
        private ValueGetter<VBuffer<float>>? _features;
        private VBuffer<float> _buffer;

        public Batch(ImageScoring scoring, int capacity) : base(capacity)
        {
            _scoring = scoring;
            _pixels = new float[capacity * scoring._scorer.Shape.PixelCount];
            _probabilities = new float[capacity * scoring._scorer.ClassCount];
        }

        private int PixelCount => _scoring._scorer.Shape.PixelCount;

        private int ClassCount => _scoring._scorer.ClassCount;

        public override void Bind(DataViewRow row)
            => _features = row.GetGetter<VBuffer<float>>(row.Schema[_scoring._featureColumnName]);

        protected override void ReadInputs(int slot)
        {
            _features!(ref _buffer);
            if (_buffer.Length != PixelCount)
                throw new InvalidDataException($"Column '{_scoring._featureColumnName}' holds {_buffer.Length} values in a row; the model needs {PixelCount}.");
            _buffer.CopyTo(_pixels.AsSpan(slot * PixelCount, PixelCount));
        }

        public override void Score() => _scoring._scorer.Score(_pixels, Count, _probabilities);

        private ReadOnlySpan<float> CurrentProbabilities => _probabilities.AsSpan(Current * ClassCount, ClassCount);

        protected override Delegate CreateOutputGetter(int output) => output switch
        {
            0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) =>
            {
                var editor = VBufferEditor.Create(ref dst, ClassCount);
                CurrentProbabilities.CopyTo(editor.Values);
                dst = editor.Commit();
            }),
            1 => (ValueGetter<uint>)((ref uint dst) => dst = (uint)ResNetScorer.ArgMax(CurrentProbabilities) + 1),
            _ => throw new ArgumentOutOfRangeException(nameof(output), output, "The image classifier has two output columns: Score and PredictedLabel."),
        };
    }
}
