using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Saves and restores a training checkpoint in a folder: the module's parameters and buffers, the
/// optimizer's state (momentum buffers, Adam moments and step counts, hyper-parameters) and a JSON
/// <see cref="TrainingLoopState"/>. Restoring into a fresh module and optimizer of the same shape and
/// replaying the same batches gives bit-identical weights.
/// </summary>
/// <remarks>
/// <para>Layout: <c>checkpoint.json</c> names a sub-folder <c>ckpt-*</c> holding <c>weights.bin</c>
/// (TorchSharp's <c>Module.save</c> format, so <c>module.load</c> reads it too) and <c>optimizer.bin</c>
/// (<c>OptimizerHelper.save_state_dict</c>). A save writes and flushes a new sub-folder, then replaces
/// <c>checkpoint.json</c> by renaming a temporary file over it, and only then deletes older
/// sub-folders. A process killed at any point leaves the previous checkpoint readable.</para>
/// <para>The manifest records the length and CRC-32 of <c>weights.bin</c> and <c>optimizer.bin</c>, checked
/// before TorchSharp reads them (its readers trust the sizes they find), so damaged files fail with an
/// <see cref="InvalidDataException"/> instead of restoring altered weights. The manifest itself is plain JSON,
/// checked for its structure only. Checkpoints saved before the checksums existed load unchecked.</para>
/// <para>Weights are read into the module's existing tensors rather than through <c>Module.load</c>:
/// for a module on a GPU, <c>Module.load</c> moves it to the CPU and back, which replaces its
/// Parameter objects and silently cuts the optimizer off from them.</para>
/// </remarks>
internal static class TrainingCheckpoint
{
    /// <summary>The file whose presence makes a folder a checkpoint.</summary>
    public const string ManifestFileName = "checkpoint.json";

    private const string WeightsFileName = "weights.bin";
    private const string OptimizerFileName = "optimizer.bin";
    private const string ContentPrefix = "ckpt-";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ManifestFileName));

    /// <summary>Saves a checkpoint into <paramref name="directory"/>, replacing the one there atomically.</summary>
    public static void Save(string directory, nn.Module module, OptimizerHelper optimizer, TrainingLoopState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);

        Directory.CreateDirectory(directory);
        string contentName = $"{ContentPrefix}{state.Step:D12}-{Guid.NewGuid():N}";
        string contentPath = Path.Combine(directory, contentName);
        string manifestPath = Path.Combine(directory, ManifestFileName);
        string tempManifestPath = $"{manifestPath}.{Guid.NewGuid():N}.tmp";

        try
        {
            Directory.CreateDirectory(contentPath);
            WriteDurably(Path.Combine(contentPath, WeightsFileName), writer => module.save(writer));
            WriteDurably(Path.Combine(contentPath, OptimizerFileName), optimizer.save_state_dict);

            var manifest = new Manifest
            {
                FormatVersion = FormatVersion,
                Content = contentName,
                Optimizer = optimizer.GetType().Name,
                SavedUtc = DateTime.UtcNow,
                State = state,
                Weights = FileChecksum.Of(Path.Combine(contentPath, WeightsFileName)),
                OptimizerState = FileChecksum.Of(Path.Combine(contentPath, OptimizerFileName)),
            };
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(manifest, s_json);
            WriteDurably(tempManifestPath, writer => writer.Write(json));

            // The commit point: rename is atomic on POSIX and replaces the file in one step on Windows.
            File.Move(tempManifestPath, manifestPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempManifestPath);
            TryDeleteDirectory(contentPath);
            throw;
        }

        RemoveEverythingBut(directory, contentName);
    }

    /// <summary>Restores the checkpoint in <paramref name="directory"/> into <paramref name="module"/> and <paramref name="optimizer"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or does not fit the module or optimizer.</exception>
    public static TrainingLoopState Load(string directory, nn.Module module, OptimizerHelper optimizer)
    {
        if (!TryLoad(directory, module, optimizer, out var state))
            throw new FileNotFoundException($"No training checkpoint in '{directory}' (no {ManifestFileName}).", Path.Combine(directory, ManifestFileName));
        return state;
    }

    /// <summary>Restores the checkpoint in <paramref name="directory"/> if there is one.</summary>
    /// <returns>False when the folder holds no checkpoint (nothing is changed then).</returns>
    /// <exception cref="InvalidDataException">
    /// The checkpoint is damaged or does not fit the module or optimizer. The module and optimizer
    /// may then be partly overwritten: build fresh ones before training on.
    /// </exception>
    public static bool TryLoad(string directory, nn.Module module, OptimizerHelper optimizer, [NotNullWhen(true)] out TrainingLoopState? state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(optimizer);

        state = null;
        string manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath)) return false;

        Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllBytes(manifestPath), s_json)
                ?? throw new InvalidDataException("The manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' is not valid JSON: {e.Message}", e);
        }

        if (manifest.FormatVersion != FormatVersion)
            throw new InvalidDataException($"The checkpoint '{manifestPath}' has format version {manifest.FormatVersion}; this version reads {FormatVersion}.");
        if (manifest.State is null || !IsContentName(manifest.Content))
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' lacks its state or content folder.");
        if (manifest.Optimizer != optimizer.GetType().Name)
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' records {manifest.Optimizer} optimizer state but the optimizer to restore is {optimizer.GetType().Name}.");

        string contentPath = Path.Combine(directory, manifest.Content);
        if (!Directory.Exists(contentPath))
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' names the content folder '{manifest.Content}', which does not exist.");
        // Checked before TorchSharp parses the files: its readers trust the sizes they read. Checkpoints saved
        // before the manifest recorded checksums have none and are read unchecked.
        manifest.Weights?.Verify(Path.Combine(contentPath, WeightsFileName), manifestPath);
        manifest.OptimizerState?.Verify(Path.Combine(contentPath, OptimizerFileName), manifestPath);
        ReadWeights(Path.Combine(contentPath, WeightsFileName), module);
        ReadOptimizer(Path.Combine(contentPath, OptimizerFileName), optimizer);

        state = manifest.State;
        return true;
    }

    /// <summary>Whether <paramref name="name"/> is a content folder name that <see cref="Save"/> writes: no separators, nothing that leaves the folder.</summary>
    private static bool IsContentName(string? name)
        => name is not null && name.StartsWith(ContentPrefix, StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static void ReadWeights(string path, nn.Module module)
    {
        using var stream = OpenForReading(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var target = module.state_dict();
        try
        {
            long count = ReadLeb128(reader);
            if (count != target.Count)
                throw new InvalidDataException($"The checkpoint weights '{path}' hold {count} tensors but the module has {target.Count}.");
            for (long i = 0; i < count; i++)
            {
                string key = reader.ReadString();
                if (!target.TryGetValue(key, out var tensor))
                    throw new InvalidDataException($"The checkpoint weights '{path}' hold '{key}', which the module does not have.");
                try
                {
                    tensor.Load(reader);
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException($"The checkpoint weights '{path}' do not fit the module at '{key}': {e.Message}", e);
                }
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"The checkpoint weights '{path}' are truncated.", e);
        }
    }

    private static void ReadOptimizer(string path, OptimizerHelper optimizer)
    {
        using var stream = OpenForReading(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);

        // TorchSharp creates state tensors that did not exist yet (e.g. SGD's momentum buffers before
        // the first step) in the current dispose scope. Catch them in a scope of our own and detach
        // them, so that a caller's scope cannot dispose the optimizer's state under it.
        using var scope = torch.NewDisposeScope();
        try
        {
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"The checkpoint optimizer state '{path}' does not fit the optimizer: {e.Message}", e);
        }
        scope.Detach(scope.DisposablesView);
    }

    private static FileStream OpenForReading(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"The checkpoint file '{path}' is missing.", e);
        }
    }

    /// <summary>Writes a file and flushes it to the disk, so that the commit rename never points at data still in a cache.</summary>
    private static void WriteDurably(string path, Action<BinaryWriter> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
            writer.Flush();
        }
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The unsigned LEB128 count that TorchSharp's Module.save writes first.</summary>
    private static long ReadLeb128(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("A length in the checkpoint weights is malformed.");
    }

    /// <summary>Deletes older checkpoints and what interrupted saves left behind; best effort.</summary>
    private static void RemoveEverythingBut(string directory, string keep)
    {
        foreach (var dir in Directory.EnumerateDirectories(directory, ContentPrefix + "*"))
        {
            if (!string.Equals(Path.GetFileName(dir), keep, StringComparison.Ordinal)) TryDeleteDirectory(dir);
        }
        foreach (var file in Directory.EnumerateFiles(directory, ManifestFileName + ".*.tmp"))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The length and CRC-32 of a checkpoint file, recorded in the manifest.</summary>
    private sealed class FileChecksum
    {
        public long Length { get; set; }
        public uint Crc32 { get; set; }

        public static FileChecksum Of(string path)
        {
            using var stream = File.OpenRead(path);
            var (crc, length) = Crc32Checksum.Compute(stream);
            return new FileChecksum { Length = length, Crc32 = crc };
        }

        public void Verify(string path, string manifestPath)
        {
            using var stream = OpenForReading(path);
            if (stream.Length != Length)
                throw new InvalidDataException($"The checkpoint file '{path}' holds {stream.Length} bytes, but the manifest '{manifestPath}' says {Length}; it is truncated or damaged.");
            var (crc, _) = Crc32Checksum.Compute(stream);
            if (crc != Crc32)
                throw new InvalidDataException($"The checkpoint file '{path}' has CRC-32 0x{crc:X8}, but the manifest '{manifestPath}' says 0x{Crc32:X8}; it is damaged.");
        }
    }

    private sealed class Manifest
    {
        public int FormatVersion { get; set; }
        public string Content { get; set; } = "";
        public string Optimizer { get; set; } = "";
        public DateTime SavedUtc { get; set; }
        public TrainingLoopState? State { get; set; }
        public FileChecksum? Weights { get; set; }
        public FileChecksum? OptimizerState { get; set; }
    }
}
