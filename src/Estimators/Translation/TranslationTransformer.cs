using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// A trained translation model: reads the source text column and adds a text column with its
/// translation (decoded in batches by Transform, one row at a time by a PredictionEngine).
/// </summary>
public sealed partial class TranslationTransformer : ITransformer, IDisposable
{
    private readonly IHostEnvironment _env;
    private readonly TranslationScoring _scoring;

    internal TranslationTransformer(IHostEnvironment env, Translator translator, string sourceColumnName, string outputColumnName,
        TranslationDecoding decoding, TrainingReport? report)
    {
        decoding.Validate();
        _env = env;
        Translator = translator;
        SourceColumnName = sourceColumnName;
        OutputColumnName = outputColumnName;
        Decoding = decoding;
        TrainingReport = report;
        _scoring = new TranslationScoring(translator, sourceColumnName, decoding);
    }

    /// <summary>The source text column the model reads.</summary>
    public string SourceColumnName { get; }

    /// <summary>The text column the model adds.</summary>
    public string OutputColumnName { get; }

    /// <summary>How translations are decoded (beam width, length penalty, longest translation).</summary>
    public TranslationDecoding Decoding { get; }

    /// <summary>Weights of the network.</summary>
    public long ParameterCount => Translator.Network.ParameterCount;

    /// <summary>What training did and how long it took; null for a model loaded from a file.</summary>
    public TrainingReport? TrainingReport { get; }

    internal Translator Translator { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <summary>
    /// The same model decoding another way, e.g. greedy (<see cref="TranslationDecoding.Greedy"/>)
    /// for speed. The two share the network: disposing either releases it.
    /// </summary>
    /// <param name="decoding">Beam width, length penalty and longest translation.</param>
    public TranslationTransformer WithDecoding(TranslationDecoding decoding)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        return new TranslationTransformer(_env, Translator, SourceColumnName, OutputColumnName, decoding, TrainingReport);
    }

    /// <summary>Translates sentences directly (no IDataView), in batches.</summary>
    /// <param name="sources">The sentences; null counts as empty.</param>
    public IReadOnlyList<string> Translate(IEnumerable<string?> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var encoded = sources.Select((text, item) => Translator.Encoder.Source((text ?? "").AsSpan(), nameof(sources), $"item {item}")).ToList();
        return Translator.Translate(encoded, Decoding);
    }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TextColumns.Require(inputSchema, SourceColumnName, "source");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, TextDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BossScoredDataView(input, _scoring, GetOutputSchema(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BossRowMapper(_scoring, inputSchema, GetOutputSchema(inputSchema));
    }

    /// <summary>Releases the network's tensors.</summary>
    public void Dispose() => Translator.Network.Dispose();
}
