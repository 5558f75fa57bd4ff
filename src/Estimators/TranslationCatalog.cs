using Microsoft.ML.AutoAssist;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>
/// Translation in the ML.NET style: trainers under <see cref="Trainers"/> and <see cref="Evaluate"/>,
/// as <c>mlContext.MulticlassClassification</c> has them. Reach it with <c>mlContext.Translation()</c>.
/// </summary>
public sealed class TranslationCatalog
{
    private readonly IHostEnvironment _env;

    internal TranslationCatalog(IHostEnvironment env)
    {
        _env = env;
        Trainers = new TranslationTrainers(env);
    }

    /// <summary>The translation trainers.</summary>
    public TranslationTrainers Trainers { get; }

    /// <summary>
    /// Corpus BLEU and chrF (sacreBLEU's defaults) of a scored data view's translations against its references.
    /// </summary>
    /// <param name="data">The output of a translation model's Transform.</param>
    /// <param name="labelColumnName">The reference translations (text).</param>
    /// <param name="scoreColumnName">The model's translations (text).</param>
    public TranslationMetrics Evaluate(IDataView data, string labelColumnName = "Target", string scoreColumnName = "Translation")
    {
        ArgumentNullException.ThrowIfNull(data);
        TextColumns.Require(data.Schema, labelColumnName, "label");
        TextColumns.Require(data.Schema, scoreColumnName, "score");
        var references = new List<string?>();
        var translations = new List<string?>();
        var label = data.Schema[labelColumnName];
        var score = data.Schema[scoreColumnName];
        using var cursor = data.GetRowCursor([label, score]);
        var readLabel = cursor.GetGetter<ReadOnlyMemory<char>>(label);
        var readScore = cursor.GetGetter<ReadOnlyMemory<char>>(score);
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            readLabel(ref text);
            references.Add(text.ToString());
            readScore(ref text);
            translations.Add(text.ToString());
        }
        return TranslationMetrics.Compute(translations, references);
    }

    /// <summary>The translation trainers of <see cref="TranslationCatalog"/>.</summary>
    public sealed class TranslationTrainers
    {
        private readonly IHostEnvironment _env;

        internal TranslationTrainers(IHostEnvironment env) => _env = env;

        /// <summary>
        /// An encoder-decoder Transformer trained with TorchSharp. Put <c>AutoAssistFilter</c> (with
        /// its SourceColumnName and TargetColumnName) just before it to train on the pairs the Boss
        /// still finds hard.
        /// </summary>
        /// <param name="tokenizerModelPath">The joint SentencePiece model (build/build-tokenizer.sh makes one).</param>
        /// <param name="sourceColumnName">The source sentences (text).</param>
        /// <param name="targetColumnName">The reference translations (text).</param>
        /// <param name="outputColumnName">The column the fitted model adds with its translations.</param>
        /// <param name="epochs">Passes over the data.</param>
        /// <param name="batchSize">Sentence pairs per step.</param>
        public TranslationTrainer Transformer(string tokenizerModelPath, string sourceColumnName = "Source", string targetColumnName = "Target",
            string outputColumnName = "Translation", int epochs = 10, int batchSize = 64)
            => Transformer(new TranslationTrainerOptions
            {
                TokenizerModelPath = tokenizerModelPath,
                SourceColumnName = sourceColumnName,
                TargetColumnName = targetColumnName,
                OutputColumnName = outputColumnName,
                Epochs = epochs,
                BatchSize = batchSize,
            });

        /// <summary>An encoder-decoder Transformer with full options.</summary>
        /// <param name="options">The trainer's options.</param>
        public TranslationTrainer Transformer(TranslationTrainerOptions options) => new(_env, options);
    }
}
