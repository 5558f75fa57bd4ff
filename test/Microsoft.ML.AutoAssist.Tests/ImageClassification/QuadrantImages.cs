using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.ImageClassification;

/// <summary>
/// A tiny, separable image task made in memory: each image is faint noise with one bright
/// quadrant, and the label is which quadrant (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right).
/// </summary>
internal static class QuadrantImages
{
    public const int Classes = 4;

    /// <returns>Images (count, channels, size, size) float32 and labels (count) int64, outside any dispose scope.</returns>
    public static (Tensor Images, Tensor Labels) Make(int count, int channels, int size, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * channels * size * size];
        var labels = new long[count];
        int half = size / 2;
        for (int n = 0; n < count; n++)
        {
            int label = n % Classes;
            labels[n] = label;
            int top = label / 2 * half, left = label % 2 * half;
            for (int c = 0; c < channels; c++)
            for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool bright = y >= top && y < top + half && x >= left && x < left + half;
                pixels[((n * channels + c) * size + y) * size + x] = (bright ? 1f : 0f) + 0.1f * (float)random.NextDouble();
            }
        }
        return (torch.tensor(pixels, [count, channels, size, size]), torch.tensor(labels));
    }
}
