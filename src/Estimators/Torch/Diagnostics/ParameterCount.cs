using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>Parameter counting for any TorchSharp module.</summary>
internal static class ParameterCount
{
    /// <summary>Total number of elements in the module's parameters (trainable or not; buffers excluded).</summary>
    public static long CountParameters(this nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        long total = 0;
        foreach (var parameter in module.parameters())
        {
            total += parameter.numel();
        }
        return total;
    }
}
