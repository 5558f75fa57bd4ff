using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

namespace Microsoft.ML.AutoAssist.CorpusBuilder;

/// <summary>Command-line options of the corpus builder.</summary>
public sealed record CorpusBuilderOptions
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: CorpusBuilder --root DIR --out DIR [options]
          --root DIR             folder the Debian packages were unpacked into (holds usr/...)
          --out DIR              output folder (train/dev/test .tsv, .en, .<lang>, pairs.tsv, stats.json)
          --lang CODE            target language (default de)
          --sources LIST         comma list of sources to read (default lohelp,loui,mo,gnomehelp,debref)
          --eval-sources LIST    sources allowed in dev/test (default lohelp,gnomehelp,debref)
          --dev-per-mille N      share of English hash buckets for dev (default 30)
          --test-per-mille N     share of English hash buckets for test (default 30)
          --no-split             keep documentation paragraphs whole (no sentence splitting)
        """;

    /// <summary>Folder the packages were unpacked into.</summary>
    public required string Root { get; init; }

    /// <summary>Output folder.</summary>
    public required string Output { get; init; }

    /// <summary>Target language code.</summary>
    public string Language { get; init; } = "de";

    /// <summary>Sources to read.</summary>
    public IReadOnlyList<string> Sources { get; init; } = SourceNames.All;

    /// <summary>Sources allowed in dev/test.</summary>
    public IReadOnlySet<string> EvaluationSources { get; init; } = SourceNames.Documentation;

    /// <summary>Dev share in thousandths.</summary>
    public int DevPerMille { get; init; } = 30;

    /// <summary>Test share in thousandths.</summary>
    public int TestPerMille { get; init; } = 30;

    /// <summary>Split documentation paragraphs into sentences.</summary>
    public bool SplitSentences { get; init; } = true;

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value or has a bad value.</exception>
    public static CorpusBuilderOptions Parse(IReadOnlyList<string> args)
    {
        string? root = null, output = null, language = "de";
        IReadOnlyList<string> sources = SourceNames.All;
        IReadOnlySet<string> evaluation = SourceNames.Documentation;
        int dev = 30, test = 30;
        bool split = true;
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value.");
            switch (args[i])
            {
                case "--root": root = Value(); break;
                case "--out": output = Value(); break;
                case "--lang": language = Value(); break;
                case "--sources": sources = List(Value()); break;
                case "--eval-sources": evaluation = List(Value()).ToHashSet(StringComparer.Ordinal); break;
                case "--dev-per-mille": dev = Number(args[i], Value()); break;
                case "--test-per-mille": test = Number(args[i], Value()); break;
                case "--no-split": split = false; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'.");
            }
        }
        if (root is null || output is null)
        {
            throw new ArgumentException("--root and --out are required.");
        }
        foreach (string source in sources.Concat(evaluation))
        {
            if (!SourceNames.All.Contains(source))
            {
                throw new ArgumentException($"unknown source '{source}'; known: {string.Join(",", SourceNames.All)}.");
            }
        }
        return new CorpusBuilderOptions
        {
            Root = root, Output = output, Language = language, Sources = sources, EvaluationSources = evaluation,
            DevPerMille = dev, TestPerMille = test, SplitSentences = split,
        };
    }

    private static List<string> List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int Number(string option, string value) =>
        int.TryParse(value, out int n) ? n : throw new ArgumentException($"option {option} needs a whole number, got '{value}'.");
}
