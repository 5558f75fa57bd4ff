using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Torch;

public class TorchDeviceSelectorTests
{
    [Fact]
    public void NoGpuIdMeansCpu()
    {
        var warnings = new List<string>();
        var device = TorchDeviceSelector.Resolve(null, fallbackToCpu: false, cudaDeviceCount: 4, warnings.Add);
        Assert.Equal(DeviceType.CPU, device.type);
        Assert.Empty(warnings);
    }

    [Fact]
    public void AvailableGpuIsChosen()
    {
        var device = TorchDeviceSelector.Resolve(1, fallbackToCpu: false, cudaDeviceCount: 2, warn: null);
        Assert.Equal(DeviceType.CUDA, device.type);
        Assert.Equal(1, device.index);
    }

    [Fact]
    public void MissingCudaFallsBackToCpuWithAWarning()
    {
        var warnings = new List<string>();
        var device = TorchDeviceSelector.Resolve(0, fallbackToCpu: true, cudaDeviceCount: 0, warnings.Add);
        Assert.Equal(DeviceType.CPU, device.type);
        Assert.Contains("CUDA is not available", Assert.Single(warnings));
    }

    [Fact]
    public void MissingCudaWithoutFallbackSaysHowToEnableIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TorchDeviceSelector.Resolve(0, fallbackToCpu: false, cudaDeviceCount: 0, warn: null));
        Assert.Contains("CUDA is not available", error.Message);
        Assert.Contains("TorchSharpBackend=cuda", error.Message);
        Assert.Contains("FallbackToCpu", error.Message);
    }

    [Fact]
    public void GpuIdBeyondTheDeviceCountIsReported()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TorchDeviceSelector.Resolve(2, fallbackToCpu: false, cudaDeviceCount: 2, warn: null));
        Assert.Contains("only 2 CUDA device(s)", error.Message);
        Assert.Equal(DeviceType.CPU, TorchDeviceSelector.Resolve(2, fallbackToCpu: true, cudaDeviceCount: 2, warn: null).type);
    }

    [Fact]
    public void NegativeGpuIdIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchDeviceSelector.Resolve(-1, fallbackToCpu: true, cudaDeviceCount: 1, warn: null));
    }

    [Fact]
    public void MLContextSettingsAreHonouredAndTheFallbackIsLogged()
    {
        var ml = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = true };
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.Message); };

        var device = TorchDeviceSelector.Select(ml);

        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, device.type);
            Assert.Empty(warnings);
        }
        else
        {
            Assert.Equal(DeviceType.CPU, device.type);
            Assert.Contains(warnings, w => w.Contains("CUDA is not available", StringComparison.Ordinal));
        }

        Assert.Equal(DeviceType.CPU, TorchDeviceSelector.Select(new MLContext(seed: 1)).type);
    }
}
