using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>The image-classification Boss: a ResNet, augmentation, and per-row cross-entropy.</summary>
internal sealed class ResNetBoss : IBossModel, IDisposable
{
    private const string AugmentationState = "augmentation";
    private readonly ResNet _model;
    private readonly BatchAugmenter _augmenter;
    private readonly ImageShape _shape;
    private readonly Device _device;
    private readonly string _featureColumnName;
    private readonly string _labelColumnName;

    public ResNetBoss(ResNet model, ImageShape shape, Device device, BatchAugmenter augmenter, string featureColumnName, string labelColumnName)
    {
        _model = model;
        _shape = shape;
        _device = device;
        _augmenter = augmenter;
        _featureColumnName = featureColumnName;
        _labelColumnName = labelColumnName;
        InputColumns = [featureColumnName, labelColumnName];
    }

    public nn.Module Module => _model;

    public IReadOnlyList<string> InputColumns { get; }

    public RowBatch CreateBatch(int capacity) => new ImageRowBatch(capacity, _shape.PixelCount, _featureColumnName, _labelColumnName);

    public Tensor PerRowLoss(RowBatch batch, bool training)
    {
        var (input, labels) = Inputs(batch, training);
        var logits = _model.forward(input);
        return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
    }

    /// <summary>The batch's images (augmented when training) and 0-based labels as tensors on the device.</summary>
    public (Tensor Images, Tensor Labels) Inputs(RowBatch batch, bool training)
    {
        var images = (ImageRowBatch)batch;
        int n = images.Count;
        var input = tensor(images.Pixels.AsSpan(0, n * _shape.PixelCount).ToArray(), [n, _shape.Channels, _shape.Height, _shape.Width]).to(_device);
        if (training && _augmenter.IsEnabled)
            input = _augmenter.Apply(input);
        var labels = tensor(images.Labels.AsSpan(0, n).ToArray()).to(_device);
        return (input, labels);
    }

    public Dictionary<string, byte[]> GetRandomStates() => new() { [AugmentationState] = _augmenter.GetRandomState() };

    public void SetRandomStates(IReadOnlyDictionary<string, byte[]> states)
    {
        if (states.TryGetValue(AugmentationState, out var state))
            _augmenter.SetRandomState(state);
    }

    public void Dispose() => _augmenter.Dispose();
}
