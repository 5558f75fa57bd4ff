using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>Class probabilities of a trained ResNet for batches of images (inference mode, no gradients).</summary>
internal sealed class ResNetScorer
{
    private readonly object _gate = new();
    private long _forwardCalls;

    public ResNetScorer(ResNet model, ImageShape shape, Device device)
    {
        Model = model;
        Shape = shape;
        Device = device;
    }

    public ResNet Model { get; }
    public ImageShape Shape { get; }
    public Device Device { get; }
    public int ClassCount => Model.NumClasses;

    /// <summary>Forward passes run so far (tests count them to prove each row is scored once).</summary>
    public long ForwardCalls => Interlocked.Read(ref _forwardCalls);

    /// <summary>Writes <paramref name="count"/> rows of probabilities (row-major, <see cref="ClassCount"/> each).</summary>
    public void Score(ReadOnlySpan<float> pixels, int count, Span<float> probabilities)
    {
        if (count == 0)
            return;
        // One forward at a time: the module's train/eval flag is shared state.
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Model.eval();
            _forwardCalls++;
            var input = tensor(pixels.Slice(0, count * Shape.PixelCount).ToArray(), [count, Shape.Channels, Shape.Height, Shape.Width]).to(Device);
            var probs = nn.functional.softmax(Model.forward(input), 1).cpu();
            probs.data<float>().CopyTo(probabilities.Slice(0, count * ClassCount));
        }
    }

    /// <summary>Accuracy on images and 0-based labels, in batches.</summary>
    public double Accuracy(float[] pixels, long[] labels, int batchSize = 500)
    {
        int correct = 0;
        var probabilities = new float[batchSize * ClassCount];
        for (int start = 0; start < labels.Length; start += batchSize)
        {
            int n = Math.Min(batchSize, labels.Length - start);
            Score(pixels.AsSpan(start * Shape.PixelCount, n * Shape.PixelCount), n, probabilities);
            for (int i = 0; i < n; i++)
            {
                if (ArgMax(probabilities.AsSpan(i * ClassCount, ClassCount)) == labels[start + i])
                    correct++;
            }
        }
        return labels.Length == 0 ? double.NaN : (double)correct / labels.Length;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
                best = k;
        }
        return best;
    }
}
