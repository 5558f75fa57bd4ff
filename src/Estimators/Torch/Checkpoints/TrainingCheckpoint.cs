using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Saves and restores a training checkpoint in a folder: the <see cref="CheckpointContent"/> (named
/// modules' parameters and buffers, named optimizers' state, named extra entries) and a JSON
/// <see cref="TrainingLoopState"/>. Restoring into fresh modules and optimizers of the same shape
/// and replaying the same batches gives bit-identical weights.
/// </summary>
/// <remarks>
/// <para>Layout (format 2): <c>checkpoint.json</c> names a sub-folder <c>ckpt-*</c> and, per entry, its
/// file there: <c>NAME.weights.bin</c> per module (TorchSharp's <c>Module.save</c> format, so
/// <c>module.load</c> reads it too), <c>NAME.optimizer.bin</c> per optimizer
/// (<c>OptimizerHelper.save_state_dict</c>) and <c>NAME.entry.bin</c> per extra entry. A save writes
/// and flushes a new sub-folder, then replaces <c>checkpoint.json</c> by renaming a temporary file
/// over it, and only then deletes older sub-folders. A process killed at any point leaves the
/// previous checkpoint readable.</para>
/// <para>The manifest records the length and CRC-32 of every file it names, checked before TorchSharp
/// reads it (its readers trust the sizes they find), so damaged files fail with an
/// <see cref="InvalidDataException"/> instead of restoring altered weights. The manifest itself is plain
/// JSON, checked for its structure only. Checkpoints saved before the checksums existed load unchecked.</para>
/// <para>Format 1 (one module in <c>weights.bin</c>, one optimizer in <c>optimizer.bin</c>) is still
/// read, into content of exactly one module and one optimizer whatever their names.</para>
/// <para>Weights are read into the module's existing tensors rather than through <c>Module.load</c>:
/// for a module on a GPU, <c>Module.load</c> moves it to the CPU and back, which replaces its
/// Parameter objects and silently cuts the optimizer off from them.</para>
/// </remarks>
internal static class TrainingCheckpoint
{
    /// <summary>The file whose presence makes a folder a checkpoint.</summary>
    public const string ManifestFileName = "checkpoint.json";

    private const string ContentPrefix = "ckpt-";
    private const int FormatVersion = 2;
    private const int FirstFormatVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, ManifestFileName));

    /// <summary>Saves one module and one optimizer (see <see cref="CheckpointContent.Single"/>).</summary>
    public static void Save(string directory, nn.Module module, OptimizerHelper optimizer, TrainingLoopState state)
        => Save(directory, CheckpointContent.Single(module, optimizer), state);

    /// <summary>Saves a checkpoint into <paramref name="directory"/>, replacing the one there atomically.</summary>
    public static void Save(string directory, CheckpointContent content, TrainingLoopState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(state);
        CheckNames(content);

        Directory.CreateDirectory(directory);
        string contentName = $"{ContentPrefix}{state.Step:D12}-{Guid.NewGuid():N}";
        string contentPath = Path.Combine(directory, contentName);
        string manifestPath = Path.Combine(directory, ManifestFileName);
        string tempManifestPath = $"{manifestPath}.{Guid.NewGuid():N}.tmp";

        try
        {
            Directory.CreateDirectory(contentPath);
            var manifest = new Manifest
            {
                FormatVersion = FormatVersion,
                Content = contentName,
                SavedUtc = DateTime.UtcNow,
                State = state,
            };
            foreach (var (name, module) in content.Modules)
            {
                string file = WeightsFile(name);
                WriteDurably(Path.Combine(contentPath, file), writer => module.save(writer));
                manifest.Modules[name] = file;
            }
            foreach (var (name, optimizer) in content.Optimizers)
            {
                string file = OptimizerFile(name);
                WriteDurably(Path.Combine(contentPath, file), optimizer.save_state_dict);
                manifest.Optimizers[name] = new OptimizerRecord { Type = optimizer.GetType().Name, File = file };
            }
            foreach (var (name, entry) in content.Entries)
            {
                string file = EntryFile(name);
                WriteDurably(Path.Combine(contentPath, file), writer => entry.Save(writer.BaseStream));
                manifest.Entries[name] = file;
            }
            foreach (var file in manifest.Modules.Values.Concat(manifest.Optimizers.Values.Select(o => o.File)).Concat(manifest.Entries.Values))
                manifest.Checksums[file] = FileChecksum.Of(Path.Combine(contentPath, file));
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
        => Load(directory, CheckpointContent.Single(module, optimizer));

    /// <summary>Restores the checkpoint in <paramref name="directory"/> into <paramref name="content"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder holds no checkpoint.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is damaged or does not fit the content.</exception>
    public static TrainingLoopState Load(string directory, CheckpointContent content)
    {
        if (!TryLoad(directory, content, out var state))
            throw new FileNotFoundException($"No training checkpoint in '{directory}' (no {ManifestFileName}).", Path.Combine(directory, ManifestFileName));
        return state;
    }

    /// <summary>Restores one module and one optimizer (see <see cref="CheckpointContent.Single"/>) if there is a checkpoint.</summary>
    public static bool TryLoad(string directory, nn.Module module, OptimizerHelper optimizer, [NotNullWhen(true)] out TrainingLoopState? state)
        => TryLoad(directory, CheckpointContent.Single(module, optimizer), out state);

    /// <summary>Restores the checkpoint in <paramref name="directory"/> into <paramref name="content"/> if there is one.</summary>
    /// <returns>False when the folder holds no checkpoint (nothing is changed then).</returns>
    /// <exception cref="InvalidDataException">
    /// The checkpoint is damaged or does not fit the content (names, shapes, optimizer types). The
    /// modules and optimizers may then be partly overwritten: build fresh ones before training on.
    /// </exception>
    public static bool TryLoad(string directory, CheckpointContent content, [NotNullWhen(true)] out TrainingLoopState? state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(content);

        state = null;
        if (!TryReadManifest(directory, out var manifest, out string manifestPath))
            return false;
        if (manifest.FormatVersion == FirstFormatVersion)
            manifest = UpgradeFirstFormat(manifest, content, manifestPath);
        CheckSameNames(directory, "modules", manifest.Modules.Keys, content.Modules.Keys);
        CheckSameNames(directory, "optimizers", manifest.Optimizers.Keys, content.Optimizers.Keys);
        CheckSameNames(directory, "entries", manifest.Entries.Keys, content.Entries.Keys);
        foreach (var (name, optimizer) in content.Optimizers)
        {
            string saved = manifest.Optimizers[name].Type;
            if (saved != optimizer.GetType().Name)
                throw new InvalidDataException($"The checkpoint in '{directory}' holds {saved} optimizer state for '{name}' but the optimizer to restore is {optimizer.GetType().Name}.");
        }

        string contentPath = Path.Combine(directory, manifest.Content);
        if (!Directory.Exists(contentPath))
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' names the content folder '{manifest.Content}', which does not exist.");
        // Every file is checked before anything is restored: TorchSharp's readers trust the sizes they read.
        string Checked(string file)
        {
            string path = Path.Combine(contentPath, SafeFileName(file, manifestPath));
            if (manifest.Checksums.TryGetValue(file, out var checksum))
                checksum.Verify(path, manifestPath);
            return path;
        }
        var modules = content.Modules.Select(m => (Path: Checked(manifest.Modules[m.Key]), Module: m.Value)).ToList();
        var optimizers = content.Optimizers.Select(o => (Path: Checked(manifest.Optimizers[o.Key].File), Optimizer: o.Value)).ToList();
        var entries = content.Entries.Select(e => (Path: Checked(manifest.Entries[e.Key]), Entry: e.Value)).ToList();
        foreach (var (path, module) in modules)
            ReadWeights(path, module);
        foreach (var (path, optimizer) in optimizers)
            ReadOptimizer(path, optimizer);
        foreach (var (path, entry) in entries)
        {
            using var stream = OpenForReading(path);
            entry.Load(stream);
        }

        state = manifest.State!;
        return true;
    }

    /// <summary>
    /// The loop state of the checkpoint in <paramref name="directory"/>, without restoring anything:
    /// to check that a checkpoint belongs to this run (its fingerprint) before loading its weights.
    /// </summary>
    /// <returns>False when the folder holds no checkpoint.</returns>
    /// <exception cref="InvalidDataException">The manifest is damaged or of an unknown format.</exception>
    public static bool TryReadState(string directory, [NotNullWhen(true)] out TrainingLoopState? state)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        state = TryReadManifest(directory, out var manifest, out _) ? manifest.State : null;
        return state is not null;
    }

    /// <summary>The names of the extra entries the checkpoint in <paramref name="directory"/> holds (none for format 1 or no checkpoint).</summary>
    /// <exception cref="InvalidDataException">The manifest is damaged or of an unknown format.</exception>
    public static IReadOnlyCollection<string> EntryNames(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return TryReadManifest(directory, out var manifest, out _) ? manifest.Entries.Keys : [];
    }

    private static bool TryReadManifest(string directory, [NotNullWhen(true)] out Manifest? manifest, out string manifestPath)
    {
        manifest = null;
        manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath)) return false;

        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllBytes(manifestPath), s_json)
                ?? throw new InvalidDataException("The manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' is not valid JSON: {e.Message}", e);
        }
        if (manifest.FormatVersion != FirstFormatVersion && manifest.FormatVersion != FormatVersion)
            throw new InvalidDataException($"The checkpoint '{manifestPath}' has format version {manifest.FormatVersion}; this version reads {FirstFormatVersion} and {FormatVersion}.");
        if (manifest.State is null)
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' lacks its state.");
        SafeFileName(manifest.Content, manifestPath);
        return true;
    }

    /// <summary>A format-1 manifest as format 2: its one module and one optimizer under the names the content uses.</summary>
    private static Manifest UpgradeFirstFormat(Manifest manifest, CheckpointContent content, string manifestPath)
    {
        if (content.Modules.Count != 1 || content.Optimizers.Count != 1 || content.Entries.Count != 0)
            throw new InvalidDataException($"The checkpoint '{manifestPath}' has format version 1, which holds one module and one optimizer only; " +
                $"this run restores {content.Modules.Count} modules, {content.Optimizers.Count} optimizers and {content.Entries.Count} entries.");
        manifest.Modules[content.Modules.Keys.Single()] = "weights.bin";
        manifest.Optimizers[content.Optimizers.Keys.Single()] = new OptimizerRecord { Type = manifest.Optimizer ?? "", File = "optimizer.bin" };
        return manifest;
    }

    private static void CheckSameNames(string directory, string kind, IEnumerable<string> saved, IEnumerable<string> wanted)
    {
        var savedSet = saved.Order(StringComparer.Ordinal).ToArray();
        var wantedSet = wanted.Order(StringComparer.Ordinal).ToArray();
        if (!savedSet.SequenceEqual(wantedSet, StringComparer.Ordinal))
            throw new InvalidDataException($"The checkpoint in '{directory}' holds the {kind} [{string.Join(", ", savedSet)}] but this run restores [{string.Join(", ", wantedSet)}].");
    }

    private static void CheckNames(CheckpointContent content)
    {
        foreach (var name in content.Modules.Keys.Concat(content.Optimizers.Keys).Concat(content.Entries.Keys))
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw new ArgumentException($"Checkpoint entry name '{name}' must be letters, digits, '-', '_' and '.' only (it becomes a file name).", nameof(content));
        }
    }

    private static string WeightsFile(string name) => $"{name}.weights.bin";

    private static string OptimizerFile(string name) => $"{name}.optimizer.bin";

    private static string EntryFile(string name) => $"{name}.entry.bin";

    /// <summary>A file or folder name from the manifest, refused if it could reach outside the checkpoint folder.</summary>
    private static string SafeFileName(string file, string manifestPath)
    {
        if (string.IsNullOrEmpty(file) || file.IndexOfAny(['/', '\\']) >= 0 || file is "." or "..")
            throw new InvalidDataException($"The checkpoint manifest '{manifestPath}' names an invalid file or folder '{file}'.");
        return file;
    }

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
        public DateTime SavedUtc { get; set; }
        public TrainingLoopState? State { get; set; }

        /// <summary>Module name to weights file.</summary>
        public Dictionary<string, string> Modules { get; set; } = new(StringComparer.Ordinal);

        /// <summary>Optimizer name to its type and state file.</summary>
        public Dictionary<string, OptimizerRecord> Optimizers { get; set; } = new(StringComparer.Ordinal);

        /// <summary>Entry name to file.</summary>
        public Dictionary<string, string> Entries { get; set; } = new(StringComparer.Ordinal);

        /// <summary>File name to its length and CRC-32 (absent in checkpoints saved before checksums existed).</summary>
        public Dictionary<string, FileChecksum> Checksums { get; set; } = new(StringComparer.Ordinal);

        /// <summary>Format 1 only: the one optimizer's type.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Optimizer { get; set; }
    }

    private sealed class OptimizerRecord
    {
        public string Type { get; set; } = "";
        public string File { get; set; } = "";
    }
}
