namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>A source of aligned English/German pairs in a folder of unpacked Debian packages.</summary>
public interface IPairSource
{
    /// <summary>The source name written next to each pair (see <see cref="SourceNames"/>).</summary>
    string Name { get; }

    /// <summary>
    /// The pairs found under <paramref name="root"/> (the folder the packages were unpacked
    /// into, holding usr/...), for target language <paramref name="language"/> (e.g. "de"),
    /// in a deterministic order.
    /// </summary>
    IEnumerable<RawPair> Extract(string root, string language);
}
