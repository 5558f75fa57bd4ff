using System.Globalization;
using System.Runtime.InteropServices;

namespace AutoAssist.Harness.Running;

/// <summary>The machine a run trained on, as recorded with its results.</summary>
/// <param name="Model">CPU model (from /proc/cpuinfo where there is one).</param>
/// <param name="Cores">Logical processors .NET sees.</param>
/// <param name="MemoryBytes">Physical memory (MemTotal of /proc/meminfo); null where unknown.</param>
/// <param name="Os">Operating system and architecture.</param>
/// <param name="Runtime">.NET version.</param>
public sealed record MachineDescription(string Model, int Cores, long? MemoryBytes, string Os, string Runtime)
{
    /// <summary>"CPU model, N cores, M GiB, OS, .NET v" for reports.</summary>
    public override string ToString()
        => $"{Model}, {Cores} cores" + (MemoryBytes is long bytes ? string.Create(CultureInfo.InvariantCulture, $", {bytes / (1024.0 * 1024 * 1024):F1} GiB") : "")
           + $", {Os}, .NET {Runtime}";
}

/// <summary>Describes the machine a benchmark ran on, for the report.</summary>
public static class MachineInfo
{
    /// <summary>"CPU model, N cores, OS" (the CPU model from /proc/cpuinfo where there is one).</summary>
    public static string Describe()
        => $"{CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), .NET {Environment.Version}";

    /// <summary>The machine's model, cores, memory, OS and runtime.</summary>
    public static MachineDescription Snapshot()
        => new(CpuModel(), Environment.ProcessorCount, MemoryBytes(),
            $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})", Environment.Version.ToString());

    /// <summary>
    /// The 1, 5 and 15 minute load averages from /proc/loadavg; null where there is none. Recorded at
    /// the start and end of each run, so that a run timed while something else was busy can be seen.
    /// </summary>
    public static IReadOnlyList<double>? LoadAverage()
    {
        string? line = ReadFirstLine("/proc/loadavg", _ => true);
        if (line is null)
            return null;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new List<double>();
        foreach (string part in parts.Take(3))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                return null;
            values.Add(value);
        }
        return values.Count == 3 ? values : null;
    }

    private static string CpuModel()
    {
        string? line = ReadFirstLine("/proc/cpuinfo", l => l.StartsWith("model name", StringComparison.Ordinal));
        if (line is not null && line.IndexOf(':') is int colon and >= 0)
            return line[(colon + 1)..].Trim();
        return RuntimeInformation.ProcessArchitecture + " CPU";
    }

    private static long? MemoryBytes()
    {
        // "MemTotal:       16318480 kB"
        string? line = ReadFirstLine("/proc/meminfo", l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long kibibytes)
            ? kibibytes * 1024
            : null;
    }

    private static string? ReadFirstLine(string path, Func<string, bool> match)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault(match) : null;
        }
        catch (IOException)
        {
            // An unreadable /proc file only costs that detail of the report.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
