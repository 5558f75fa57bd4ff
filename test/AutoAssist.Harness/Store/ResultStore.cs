using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoAssist.Harness.Store;

/// <summary>
/// The results store: one JSON line per run, appended as each run finishes, so that a frontier
/// grows over several invocations (and sessions) and every table and plot can be rebuilt from it.
/// Committed under docs/benchmarks/store/.
/// </summary>
public sealed class ResultStore
{
    private readonly List<StoredRun> _runs;

    private ResultStore(string path, List<StoredRun> runs, int unreadableLines)
    {
        Path = path;
        _runs = runs;
        UnreadableLines = unreadableLines;
    }

    /// <summary>
    /// The serializer settings of a line: snake_case, one line, and NaN written as "NaN" so that every
    /// value reads back exactly (a report rebuilt from the store equals the one written directly).
    /// </summary>
    public static JsonSerializerOptions LineOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Every run in file order (the order they finished in).</summary>
    public IReadOnlyList<StoredRun> Runs => _runs;

    /// <summary>Lines that did not parse (a run cut off mid-write); they are skipped.</summary>
    public int UnreadableLines { get; }

    /// <summary>Opens the store at <paramref name="path"/>; a missing file is an empty store.</summary>
    public static ResultStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var runs = new List<StoredRun>();
        int unreadable = 0;
        if (File.Exists(path))
        {
            foreach (string line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                try
                {
                    runs.Add(JsonSerializer.Deserialize<StoredRun>(line, LineOptions)
                        ?? throw new JsonException("A store line holds null."));
                }
                catch (JsonException)
                {
                    unreadable++;
                }
            }
        }
        return new ResultStore(path, runs, unreadable);
    }

    /// <summary>
    /// True when a run with this key is already stored; with <paramref name="anyCommit"/>, a run
    /// from any commit counts if its tree was clean and the rest of the key matches.
    /// </summary>
    public bool Contains(RunKey key, bool anyCommit = false)
        => _runs.Any(r => r.Key == key || (anyCommit && !r.Dirty && r.Key with { CodeCommit = key.CodeCommit, Dirty = key.Dirty } == key));

    /// <summary>Appends one run as one line and flushes it to disk before returning.</summary>
    public void Append(StoredRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string? folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        // A line cut off by a crash must not swallow this one: start on a fresh line.
        string line = (EndsMidLine(Path) ? "\n" : "") + Serialize(run) + "\n";
        using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(line);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        _runs.Add(run);
    }

    private static bool EndsMidLine(string path)
    {
        if (!File.Exists(path))
            return false;
        using var stream = File.OpenRead(path);
        if (stream.Length == 0)
            return false;
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() != '\n';
    }

    /// <summary>A run as its store line (without the newline).</summary>
    public static string Serialize(StoredRun run) => JsonSerializer.Serialize(run, LineOptions);
}
