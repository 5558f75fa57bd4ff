using System.Text;
using Microsoft.ML.AutoAssist.CorpusBuilder.Building;
using Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;

namespace Microsoft.ML.AutoAssist.CorpusBuilder.Output;

/// <summary>
/// Writes the corpus files: &lt;set&gt;.tsv (English TAB German TAB source TAB document, one pair
/// per line, no header), the same sets as line-aligned plain text &lt;set&gt;.en / &lt;set&gt;.&lt;lang&gt;
/// (the input tokenizer trainers expect), and pairs.tsv with every kept pair before splitting.
/// Cleaning has collapsed all whitespace, so no field contains a tab or a line break.
/// </summary>
public static class CorpusWriter
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The file names of the three sets, without extension.</summary>
    public static IReadOnlyList<(SplitName Name, string File)> Sets { get; } =
        [(SplitName.Train, "train"), (SplitName.Dev, "dev"), (SplitName.Test, "test")];

    /// <summary>Writes all files into <paramref name="directory"/> (created if needed).</summary>
    public static void Write(string directory, string language, IReadOnlyList<CorpusPair> allPairs, CorpusSplit split)
    {
        Directory.CreateDirectory(directory);
        WriteTsv(Path.Combine(directory, "pairs.tsv"), allPairs);
        foreach (var (name, file) in Sets)
        {
            IReadOnlyList<CorpusPair> pairs = split[name];
            WriteTsv(Path.Combine(directory, file + ".tsv"), pairs);
            WriteLines(Path.Combine(directory, file + ".en"), pairs.Select(p => p.English));
            WriteLines(Path.Combine(directory, $"{file}.{language}"), pairs.Select(p => p.German));
        }
    }

    /// <summary>Writes pairs as English TAB German TAB source TAB document lines.</summary>
    public static void WriteTsv(string path, IEnumerable<CorpusPair> pairs) =>
        WriteLines(path, pairs.Select(p => $"{p.English}\t{p.German}\t{p.Source}\t{p.Document}"));

    private static void WriteLines(string path, IEnumerable<string> lines)
    {
        using var writer = new StreamWriter(path, append: false, Utf8) { NewLine = "\n" };
        foreach (string line in lines)
        {
            writer.WriteLine(line);
        }
    }
}
