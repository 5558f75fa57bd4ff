using System.Text;
using System.Text.Unicode;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Loads a parallel corpus in the tab-separated format that build/build-corpus.sh writes
/// (train.tsv, dev.tsv, test.tsv under data/corpus/en-de/) and that
/// datasets/translation-en-de/test.tsv is kept in: one pair per line,
/// <c>source TAB target [TAB origin [TAB document]]</c>, UTF-8, no header. Blank lines are ignored.
/// </summary>
public static class TranslationCorpus
{
    /// <summary>Name of the text column holding the source-language (English) sentence.</summary>
    public const string SourceColumnName = "Source";

    /// <summary>Name of the text column holding the target-language (German) sentence.</summary>
    public const string TargetColumnName = "Target";

    /// <summary>Name of the text column naming where each pair comes from (empty when the file does not say).</summary>
    public const string OriginColumnName = "Origin";

    private const int MinFields = 2;
    private const int MaxFields = 4;

    /// <summary>
    /// Loads the corpus file at <paramref name="path"/> into memory as an <see cref="IDataView"/>
    /// with the text columns <see cref="SourceColumnName"/>, <see cref="TargetColumnName"/> and
    /// <see cref="OriginColumnName"/>. Row ids (<see cref="DataViewRowId"/>) are the pairs' 0-based
    /// positions in the file, the same on every cursor, shuffled or not. The view supports
    /// random shuffling (<see cref="IDataView.CanShuffle"/>).
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="path">A corpus .tsv file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist (the message says how to build it).</exception>
    /// <exception cref="InvalidDataException">A line is malformed or not UTF-8 (the message names the file and the line number).</exception>
    public static IDataView Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new TranslationPairDataView(ReadPairs(path));
    }

    /// <summary>
    /// <paramref name="pairs"/> as an in-memory <see cref="IDataView"/> with the columns
    /// <see cref="Load"/> gives; row ids are the positions in <paramref name="pairs"/>.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="pairs">The sentence pairs, e.g. a sample of <see cref="ReadPairs"/>.</param>
    public static IDataView FromPairs(MLContext mlContext, IReadOnlyList<TranslationPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(pairs);
        return new TranslationPairDataView(pairs);
    }

    /// <summary>Reads the pairs of the corpus file at <paramref name="path"/>, in file order.</summary>
    /// <param name="path">A corpus .tsv file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist (the message says how to build it).</exception>
    /// <exception cref="InvalidDataException">A line is malformed or not UTF-8 (the message names the file and the line number).</exception>
    public static IReadOnlyList<TranslationPair> ReadPairs(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Translation corpus file '{Path.GetFullPath(path)}' does not exist. Run build/build-corpus.sh from the "
                + "repository root to build the corpus (it writes data/corpus/en-de/train.tsv, dev.tsv and test.tsv); "
                + "the test set alone is also kept in datasets/translation-en-de/test.tsv.",
                path);
        }
        var pairs = new List<TranslationPair>();
        try
        {
            using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            int lineNumber = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }
                pairs.Add(ParseLine(line, path, lineNumber));
            }
        }
        catch (DecoderFallbackException)
        {
            // The reader decodes ahead of the line it returns, so the line is found again from the bytes.
            throw Malformed(path, FirstLineThatIsNotUtf8(path), "the text is not valid UTF-8 (the file is damaged or in another encoding)");
        }
        return pairs;
    }

    // Undecodable bytes fail instead of becoming U+FFFD: a damaged file must not yield altered sentences.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static int FirstLineThatIsNotUtf8(string path)
    {
        ReadOnlySpan<byte> rest = File.ReadAllBytes(path);
        int lineNumber = 1;
        while (true)
        {
            int end = rest.IndexOf((byte)'\n');
            if (!Utf8.IsValid(end < 0 ? rest : rest[..end]) || end < 0)
            {
                return lineNumber;
            }
            rest = rest[(end + 1)..];
            lineNumber++;
        }
    }

    private static TranslationPair ParseLine(string line, string path, int lineNumber)
    {
        string[] fields = line.Split('\t');
        if (fields.Length < MinFields || fields.Length > MaxFields)
        {
            throw Malformed(path, lineNumber,
                $"expected 'source<TAB>target', optionally followed by '<TAB>origin' and '<TAB>document', but found {fields.Length} tab-separated field(s)");
        }
        if (string.IsNullOrWhiteSpace(fields[0]))
        {
            throw Malformed(path, lineNumber, "the source (first) field is empty");
        }
        if (string.IsNullOrWhiteSpace(fields[1]))
        {
            throw Malformed(path, lineNumber, "the target (second) field is empty");
        }
        return new TranslationPair(fields[0], fields[1], fields.Length > 2 ? fields[2] : string.Empty);
    }

    private static InvalidDataException Malformed(string path, int lineNumber, string problem) =>
        new($"Translation corpus file '{path}', line {lineNumber}: {problem}.");
}
