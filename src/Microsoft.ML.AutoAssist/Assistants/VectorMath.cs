using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AutoAssist;

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

    /// <summary>
    /// Four dot products of rows of the same length with one shared vector, written to
    /// <paramref name="result"/>[0..3]. Each is summed in exactly the order <see cref="Dot"/> uses, so
    /// the results are bit-identical to four calls of it. Reading four scattered rows at once keeps
    /// more memory loads in flight, which is what scoring cached rows in a random order waits on
    /// (about twice as fast as one row at a time for 784-float rows); for adjacent rows it is slower.
    /// </summary>
    public static void Dot4(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3,
        ReadOnlySpan<float> y, Span<float> result)
    {
        int length = x0.Length;
        if (!Vector.IsHardwareAccelerated || length < Vector<float>.Count * 2
            || x1.Length != length || x2.Length != length || x3.Length != length || y.Length < length)
        {
            result[0] = Dot(x0, y);
            result[1] = Dot(x1, y);
            result[2] = Dot(x2, y);
            result[3] = Dot(x3, y);
            return;
        }
        var v0 = MemoryMarshal.Cast<float, Vector<float>>(x0);
        var v1 = MemoryMarshal.Cast<float, Vector<float>>(x1);
        var v2 = MemoryMarshal.Cast<float, Vector<float>>(x2);
        var v3 = MemoryMarshal.Cast<float, Vector<float>>(x3);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        int vectors = v0.Length;
        // Two accumulators per row (even and odd vectors), as in Dot.
        Vector<float> even0 = Vector<float>.Zero, odd0 = Vector<float>.Zero, even1 = Vector<float>.Zero, odd1 = Vector<float>.Zero;
        Vector<float> even2 = Vector<float>.Zero, odd2 = Vector<float>.Zero, even3 = Vector<float>.Zero, odd3 = Vector<float>.Zero;
        int v = 0;
        for (; v + 1 < vectors; v += 2)
        {
            var y0 = vy[v];
            var y1 = vy[v + 1];
            even0 += v0[v] * y0;
            odd0 += v0[v + 1] * y1;
            even1 += v1[v] * y0;
            odd1 += v1[v + 1] * y1;
            even2 += v2[v] * y0;
            odd2 += v2[v + 1] * y1;
            even3 += v3[v] * y0;
            odd3 += v3[v + 1] * y1;
        }
        if (v < vectors)
        {
            var y0 = vy[v];
            even0 += v0[v] * y0;
            even1 += v1[v] * y0;
            even2 += v2[v] * y0;
            even3 += v3[v] * y0;
        }
        float sum0 = Vector.Sum(even0 + odd0), sum1 = Vector.Sum(even1 + odd1);
        float sum2 = Vector.Sum(even2 + odd2), sum3 = Vector.Sum(even3 + odd3);
        for (int i = vectors * Vector<float>.Count; i < length; i++)
        {
            sum0 += x0[i] * y[i];
            sum1 += x1[i] * y[i];
            sum2 += x2[i] * y[i];
            sum3 += x3[i] * y[i];
        }
        result[0] = sum0;
        result[1] = sum1;
        result[2] = sum2;
        result[3] = sum3;
    }

    /// <summary>result[j] = (x[j] − mean[j]) · inverseStd[j], element by element (the same roundings as a scalar loop).</summary>
    public static void Standardize(ReadOnlySpan<float> x, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseStd, Span<float> result)
    {
        int length = x.Length;
        if (mean.Length < length || inverseStd.Length < length || result.Length < length)
            throw new ArgumentException("Standardize needs mean, inverse standard deviation and result at least as long as the row.");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vm = MemoryMarshal.Cast<float, Vector<float>>(mean);
            var vs = MemoryMarshal.Cast<float, Vector<float>>(inverseStd);
            var vr = MemoryMarshal.Cast<float, Vector<float>>(result);
            for (int v = 0; v < vx.Length; v++)
                vr[v] = (vx[v] - vm[v]) * vs[v];
            i = vx.Length * Vector<float>.Count;
        }
        for (; i < length; i++)
            result[i] = (x[i] - mean[i]) * inverseStd[i];
    }

    /// <summary>target[j] += scale · x[j], element by element (the same roundings as a scalar loop).</summary>
    public static void AddScaled(Span<float> target, float scale, ReadOnlySpan<float> x)
    {
        int length = target.Length;
        if (x.Length < length)
            throw new ArgumentException("AddScaled needs x at least as long as the target.", nameof(x));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vscale = new Vector<float>(scale);
            for (int v = 0; v < vt.Length; v++)
                vt[v] += vscale * vx[v];
            i = vt.Length * Vector<float>.Count;
        }
        for (; i < length; i++)
            target[i] += scale * x[i];
    }

    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
}
