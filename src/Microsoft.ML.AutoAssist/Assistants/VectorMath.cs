using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AutoAssist.Assistants;

/// <summary>The few vector kernels the Assistants need on their hot path.</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        float sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count * 2)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            Vector<float> acc0 = Vector<float>.Zero, acc1 = Vector<float>.Zero;
            int v = 0;
            for (; v + 1 < vx.Length; v += 2)
            {
                acc0 += vx[v] * vy[v];
                acc1 += vx[v + 1] * vy[v + 1];
            }
            if (v < vx.Length)
                acc0 += vx[v] * vy[v];
            sum = Vector.Sum(acc0 + acc1);
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++)
            sum += x[i] * y[i];
        return sum;
    }

    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
}
