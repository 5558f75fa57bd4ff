using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>Writes a fitted network's weights from the CPU, so a model trained on a GPU loads anywhere.</summary>
internal static class CpuWeights
{
    /// <summary>
    /// Saves <paramref name="network"/> (which lives on <paramref name="device"/>) in TorchSharp's format,
    /// moving it to the CPU for the write and back afterwards. <paramref name="gate"/> is the lock the
    /// network's scoring takes, so that no scoring runs while the network is away from its device.
    /// </summary>
    public static void Save(BinaryWriter writer, nn.Module network, Device device, object gate)
    {
        lock (gate)
        {
            if (device.type != DeviceType.CPU)
                network.to(CPU);
            try
            {
                network.save(writer);
            }
            finally
            {
                if (device.type != DeviceType.CPU)
                    network.to(device);
            }
        }
    }
}
