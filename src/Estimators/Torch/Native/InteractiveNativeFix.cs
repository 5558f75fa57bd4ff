using System.Runtime.CompilerServices;
using System.Text;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The libstdc++ fix of build/TorchSharpNativeFix.targets for hosts that do not build: notebooks and
/// scripts (Polyglot Notebooks, dotnet-repl) reference TorchSharp straight from the NuGet package
/// folder, where no build target runs, and TorchSharp then loads a copy of its native library that
/// it gathers next to TorchSharp.dll. On a Linux system whose libstdc++ lacks GLIBCXX_3.4.32
/// (Debian 12), this marks that requirement weak in the package folder's libLibTorchSharp.so (and in
/// TorchSharp's gathered copy, if there is one) before TorchSharp first loads it, with the same ELF
/// edit as the build targets. Best effort: when the folder cannot be written, TorchSharp's own load
/// error is what the user sees (docs/troubleshooting.md).
/// </summary>
internal static class InteractiveNativeFix
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";

#pragma warning disable CA2255 // it must run before TorchSharp's type initializer, which any of our types may trigger
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        try
        {
            if (!OperatingSystem.IsLinux())
                return;
            var torchSharp = typeof(TorchSharp.torch).Assembly.Location;   // loads TorchSharp.dll; its native side stays untouched
            if (string.IsNullOrEmpty(torchSharp))
                return;
            // NuGet package layout: <package>/lib/<tfm>/TorchSharp.dll and <package>/runtimes/linux-x64/native/libLibTorchSharp.so.
            var libDir = Path.GetDirectoryName(torchSharp)!;
            var packageNative = Path.GetFullPath(Path.Combine(libDir, "..", "..", "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
            if (!File.Exists(packageNative) || SystemLibstdcxxHas(RequiredVersion))
                return;
            foreach (var library in new[] { packageNative, Path.Combine(libDir, "cpu", "libLibTorchSharp.so"), Path.Combine(libDir, "cuda", "libLibTorchSharp.so") })
                if (File.Exists(library))
                    WeakenVersionRequirement(library, RequiredVersion);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Read-only package folder or an unexpected file: leave it to TorchSharp's own error.
        }
    }

    private static bool SystemLibstdcxxHas(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6"];
        var library = candidates.FirstOrDefault(File.Exists);
        return library is null || File.ReadAllBytes(library).AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }

    /// <summary>Sets VER_FLG_WEAK on every <paramref name="version"/> entry of the ELF64 file's .gnu.version_r section.</summary>
    internal static int WeakenVersionRequirement(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            return 0;
        byte[] wanted = Encoding.ASCII.GetBytes(version + "\0");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        int patched = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != 0x6ffffffe) continue; // SHT_GNU_verneed
            long off = BitConverter.ToInt64(elf, (int)sh + 0x18);
            int link = BitConverter.ToInt32(elf, (int)sh + 0x28), count = BitConverter.ToInt32(elf, (int)sh + 0x2C);
            long strOff = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            for (int i = 0; i < count; i++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    long name = strOff + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (name >= 0 && name <= elf.Length - wanted.Length && elf.AsSpan((int)name, wanted.Length).SequenceEqual(wanted)
                        && (elf[aux + 4] & 0x2) == 0)
                    {
                        elf[aux + 4] |= 0x2;
                        patched++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(elf, (int)vn + 12);
            }
        }
        if (patched > 0)
        {
            // A new file renamed over the old one: a process that has the library mapped keeps the old file.
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, elf);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            File.Move(temporary, path, overwrite: true);
        }
        return patched;
    }
}
