using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Picks the device a TorchSharp trainer runs on from <see cref="MLContext.GpuDeviceId"/> and
/// <see cref="MLContext.FallbackToCpu"/>, the way ML.NET's own GPU trainers read them.
/// </summary>
internal static class TorchDeviceSelector
{
    /// <summary>Why CUDA may be missing and how to get it; part of every message about it.</summary>
    internal const string HowToEnableCuda =
        "The package is built against TorchSharp-cpu by default. To train on a GPU, build with the MSBuild property " +
        "TorchSharpBackend=cuda (e.g. 'dotnet build -p:TorchSharpBackend=cuda'), which references TorchSharp-cuda-linux " +
        "instead (see Directory.Packages.props and src/Estimators/Microsoft.ML.AutoAssist.Estimators.csproj), on a " +
        "machine with an NVIDIA driver; or set MLContext.GpuDeviceId to null to train on the CPU, or " +
        "MLContext.FallbackToCpu to true to fall back to it.";

    /// <summary>Selects the device for <paramref name="context"/>; a fallback warning goes to <see cref="MLContext.Log"/>.</summary>
    public static Device Select(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var channel = ((IHostEnvironment)context).Start(nameof(TorchDeviceSelector));
        return Select(context.GpuDeviceId, context.FallbackToCpu, message => channel.Warning(MessageSensitivity.None, message));
    }

    /// <summary>Selects the device from the raw settings, asking TorchSharp what CUDA devices exist.</summary>
    public static Device Select(int? gpuDeviceId, bool fallbackToCpu, Action<string>? warn)
    {
        int cudaDevices = gpuDeviceId is null || !torch.cuda.is_available() ? 0 : torch.cuda.device_count();
        return Resolve(gpuDeviceId, fallbackToCpu, cudaDevices, warn);
    }

    /// <summary>The decision itself, given the number of usable CUDA devices (0 when CUDA is unavailable).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The device id is negative.</exception>
    /// <exception cref="InvalidOperationException">The GPU is unavailable and falling back to the CPU is not allowed.</exception>
    internal static Device Resolve(int? gpuDeviceId, bool fallbackToCpu, int cudaDeviceCount, Action<string>? warn)
    {
        if (gpuDeviceId is null) return torch.CPU;

        int id = gpuDeviceId.Value;
        if (id < 0)
            throw new ArgumentOutOfRangeException(nameof(gpuDeviceId), id, "MLContext.GpuDeviceId must be null (CPU) or a non-negative CUDA device index.");

        string? problem =
            cudaDeviceCount <= 0 ? $"MLContext.GpuDeviceId is {id} but CUDA is not available to TorchSharp."
            : id >= cudaDeviceCount ? $"MLContext.GpuDeviceId is {id} but TorchSharp sees only {cudaDeviceCount} CUDA device(s) (ids 0 to {cudaDeviceCount - 1})."
            : null;

        // A plain Device value: torch.device() would load the CUDA backend here, before it is needed.
        if (problem is null) return new Device(DeviceType.CUDA, id);

        if (fallbackToCpu)
        {
            warn?.Invoke($"{problem} Training on the CPU because MLContext.FallbackToCpu is true.");
            return torch.CPU;
        }

        throw new InvalidOperationException($"{problem} {HowToEnableCuda}");
    }
}
