using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

internal static class TensorEquality
{
    /// <summary>
    /// Same shape and bit-identical elements. (TorchSharp's <c>Tensor.equal</c> is element-wise like
    /// <c>eq</c>; the whole-tensor test of PyTorch's <c>torch.equal</c> is <c>Tensor.Equals(Tensor)</c>.)
    /// </summary>
    public static bool Identical(Tensor a, Tensor b) => a.Equals(b);
}
