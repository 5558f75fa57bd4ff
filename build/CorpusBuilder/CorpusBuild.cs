using Microsoft.ML.AutoAssist.CorpusBuilder.Building;
using Microsoft.ML.AutoAssist.CorpusBuilder.Output;
using Microsoft.ML.AutoAssist.CorpusBuilder.Sources;
using Microsoft.ML.AutoAssist.CorpusBuilder.Splitting;

namespace Microsoft.ML.AutoAssist.CorpusBuilder;

/// <summary>One corpus build: read the sources, clean, de-duplicate, split, write.</summary>
public static class CorpusBuild
{
    /// <summary>Every source the builder knows, in reading order.</summary>
    public static IReadOnlyList<IPairSource> AllSources { get; } =
    [
        new LibreOfficeHelpExtractor(), new LibreOfficeUiExtractor(), new GettextCatalogExtractor(),
        new GnomeHelpExtractor(), new DebianReferenceExtractor(),
    ];

    /// <summary>Builds the corpus described by <paramref name="options"/> and returns its statistics.</summary>
    public static CorpusStatistics Run(CorpusBuilderOptions options, TextWriter log)
    {
        var gatherer = new CorpusGatherer(options.SplitSentences);
        foreach (IPairSource source in AllSources.Where(s => options.Sources.Contains(s.Name)))
        {
            int before = gatherer.Pairs.Count;
            gatherer.AddRange(source.Extract(options.Root, options.Language));
            log.WriteLine($"{source.Name}: {gatherer.Pairs.Count - before} pairs");
        }
        var split = new CorpusSplitter(options.EvaluationSources, options.DevPerMille, options.TestPerMille).Split(gatherer.Pairs);
        CorpusWriter.Write(options.Output, options.Language, gatherer.Pairs, split);
        var statistics = new CorpusStatistics(options.Language, gatherer.Counts, split, options.EvaluationSources.Order(StringComparer.Ordinal));
        statistics.WriteJson(Path.Combine(options.Output, "stats.json"));
        return statistics;
    }
}
