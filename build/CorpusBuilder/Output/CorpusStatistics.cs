using System.Text.Json;
using Microsoft.ML.AutoAssist.CorpusBuilder.Building;
using Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Output;

/// <summary>Counts per source and per set, written as stats.json and printed as a table.</summary>
public sealed class CorpusStatistics
{
    private readonly IReadOnlyList<KeyValuePair<string, SourceCounts>> _sources;
    private readonly CorpusSplit _split;

    /// <param name="language">The target language code.</param>
    /// <param name="sources">Raw and kept counts per source.</param>
    /// <param name="split">The sets.</param>
    /// <param name="evaluationSources">The sources allowed in dev/test.</param>
    public CorpusStatistics(string language, IReadOnlyList<KeyValuePair<string, SourceCounts>> sources, CorpusSplit split, IEnumerable<string> evaluationSources)
    {
        Language = language;
        _sources = sources;
        _split = split;
        EvaluationSources = evaluationSources.ToList();
    }

    /// <summary>The target language code.</summary>
    public string Language { get; }

    /// <summary>The sources allowed in dev/test.</summary>
    public IReadOnlyList<string> EvaluationSources { get; }

    private static readonly SplitName[] Columns = [SplitName.Train, SplitName.Dev, SplitName.Test, SplitName.Dropped];

    /// <summary>Number of pairs of <paramref name="source"/> (or of all sources when null) in a set.</summary>
    public int Count(SplitName set, string? source = null) => _split[set].Count(p => source is null || p.Source == source);

    /// <summary>Writes stats.json.</summary>
    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("pair", $"en-{Language}");
        json.WriteStartObject("sources");
        foreach (var (source, counts) in _sources)
        {
            json.WriteStartObject(source);
            json.WriteNumber("raw", counts.Raw);
            json.WriteNumber("kept", counts.Kept);
            foreach (SplitName set in Columns)
            {
                json.WriteNumber(Key(set), Count(set, source));
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("splits");
        foreach (SplitName set in Columns)
        {
            json.WriteNumber(Key(set), Count(set));
        }
        json.WriteEndObject();
        json.WriteNumber("kept", _sources.Sum(s => s.Value.Kept));
        json.WriteStartArray("evaluationSources");
        foreach (string source in EvaluationSources)
        {
            json.WriteStringValue(source);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A table of the counts per source and set, for the console.</summary>
    public string ToTable()
    {
        var lines = new List<string> { $"{"source",-10} {"raw",8} {"kept",8} {"train",8} {"dev",6} {"test",6} {"dropped",8}" };
        foreach (var (source, counts) in _sources)
        {
            lines.Add($"{source,-10} {counts.Raw,8} {counts.Kept,8} {Count(SplitName.Train, source),8} {Count(SplitName.Dev, source),6} {Count(SplitName.Test, source),6} {Count(SplitName.Dropped, source),8}");
        }
        lines.Add($"{"total",-10} {_sources.Sum(s => s.Value.Raw),8} {_sources.Sum(s => s.Value.Kept),8} {Count(SplitName.Train),8} {Count(SplitName.Dev),6} {Count(SplitName.Test),6} {Count(SplitName.Dropped),8}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Key(SplitName set) => set.ToString().ToLowerInvariant();
}
