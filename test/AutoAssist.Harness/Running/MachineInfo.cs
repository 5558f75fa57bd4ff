using System.Runtime.InteropServices;

namespace AutoAssist.Harness.Running;

/// <summary>Describes the machine a benchmark ran on, for the report.</summary>
public static class MachineInfo
{
    /// <summary>"CPU model, N cores, OS" (the CPU model from /proc/cpuinfo where there is one).</summary>
    public static string Describe()
        => $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), .NET {Environment.Version}";

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(CpuInfo))
            {
                string? line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':') is int colon and >= 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException)
        {
            // An unreadable cpuinfo only costs the model name.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return RuntimeInformation.ProcessArchitecture + " CPU";
    }
}
