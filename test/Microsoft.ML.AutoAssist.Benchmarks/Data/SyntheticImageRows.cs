using System.Runtime.InteropServices;

namespace Microsoft.ML.AutoAssist.Benchmarks.Data;

/// <summary>
/// Fashion-MNIST-sized made-up rows: 784 pixel-like floats in [0, 1] and a key label of 10 classes.
/// Each class has its own random prototype image and rows are noisy copies of it, so the Assistant's
/// inputs look like real images (correlated pixels, a class signal) while nothing is read from disk.
/// </summary>
internal sealed class SyntheticImageRows
{
    public const int Dimension = 784;
    public const int ClassCount = 10;
    public const int DefaultRowCount = 60_000;
    public const int Seed = 20_190_101;

    private SyntheticImageRows(float[] features, uint[] labels)
    {
        Features = features;
        Labels = labels;
    }

    /// <summary>Row-major features, <see cref="Count"/> × <see cref="Dimension"/>.</summary>
    public float[] Features { get; }

    /// <summary>Key values of the labels: 1..<see cref="ClassCount"/> (0 would mean missing).</summary>
    public uint[] Labels { get; }

    public int Count => Labels.Length;

    public static SyntheticImageRows Create(int count = DefaultRowCount, int seed = Seed)
    {
        var random = new Random(seed);
        var prototypes = new float[ClassCount * Dimension];
        for (int i = 0; i < prototypes.Length; i++)
            prototypes[i] = random.NextSingle();

        var features = new float[(long)count * Dimension];
        var labels = new uint[count];
        for (int row = 0; row < count; row++)
        {
            int label = random.Next(ClassCount);
            labels[row] = (uint)label + 1;
            var prototype = prototypes.AsSpan(label * Dimension, Dimension);
            var values = features.AsSpan(row * Dimension, Dimension);
            for (int j = 0; j < Dimension; j++)
                values[j] = Math.Clamp(prototype[j] + 0.4f * (random.NextSingle() - 0.5f), 0f, 1f);
        }
        return new SyntheticImageRows(features, labels);
    }

    /// <summary>
    /// The rows as a training session cached them: the session's own arrays, not a copy. A plain loop
    /// over them reads the very memory the session's epochs read; the same values in another array
    /// can be 10% faster or slower to read in a random order on a VM (where its pages happen to lie),
    /// which would otherwise pass for the protocol's cost.
    /// </summary>
    public static SyntheticImageRows CachedBy(SelectiveTrainingSession session, string featuresColumn, string labelColumn)
    {
        var features = session.Store.GetDenseFloatVectors(featuresColumn, out int dimension);
        var labels = session.Store.GetKeys(labelColumn, out _);
        if (dimension != Dimension || !MemoryMarshal.TryGetArray(features, out var featureArray) || !MemoryMarshal.TryGetArray(labels, out var labelArray)
            || featureArray.Offset != 0 || labelArray.Offset != 0)
            throw new InvalidOperationException($"The session does not cache '{featuresColumn}' and '{labelColumn}' as whole arrays of {Dimension}-float rows and keys.");
        return new SyntheticImageRows(featureArray.Array!, labelArray.Array!);
    }

    /// <summary>
    /// The made-up Boss's loss: O(1) per row, so that the benchmarks measure data access and the
    /// protocol rather than a model. Three classes are "hard" (like Fashion-MNIST's shirt, pullover
    /// and coat), which gives the Assistant something to learn.
    /// </summary>
    public static float BossLoss(ReadOnlySpan<float> features, uint label)
        => (label <= 3 ? 2f : 0.05f) + 0.1f * features[(int)label * 71];
}
