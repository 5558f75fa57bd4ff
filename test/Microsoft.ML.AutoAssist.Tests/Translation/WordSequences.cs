namespace Microsoft.ML.AutoAssist.Tests.Translation;

/// <summary>
/// Made-up "translation" pairs over words that are single pieces of the committed SentencePiece
/// model: the target is the source copied or reversed. Small enough to learn in a few hundred steps.
/// </summary>
internal static class WordSequences
{
    public static readonly string TokenizerPath = Path.Combine(AppContext.BaseDirectory, "TestData", "translation", "en-de-bpe-800.model");

    private static readonly string[] Words = ["the", "and", "to", "of", "die", "der", "und", "mit"];

    public sealed class Pair
    {
        public string? Source { get; set; }
        public string? Target { get; set; }
    }

    public static Pair[] Make(int count, bool reverse, int seed, int minWords = 2, int maxWords = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var words = Enumerable.Range(0, random.Next(minWords, maxWords + 1)).Select(_ => Words[random.Next(Words.Length)]).ToArray();
            return new Pair { Source = string.Join(' ', words), Target = string.Join(' ', reverse ? words.Reverse() : words) };
        }).ToArray();
    }

    public static IDataView Load(MLContext ml, int count, bool reverse, int seed) => ml.Data.LoadFromEnumerable(Make(count, reverse, seed));

    /// <summary>A tiny Transformer that learns these pairs in seconds on one CPU thread.</summary>
    public static TranslationTrainerOptions Tiny(long steps) => new()
    {
        TokenizerModelPath = TokenizerPath,
        EncoderLayers = 1,
        DecoderLayers = 1,
        ModelDimension = 32,
        AttentionHeads = 2,
        FeedForwardDimension = 64,
        Dropout = 0,
        LabelSmoothing = 0,
        BatchSize = 32,
        MaxSteps = steps,
        LearningRate = 1e-2,
        WarmupFraction = 0.1,
        MaxTranslationLength = 12,
        BeamSize = 1,
        Seed = 5,
        TorchThreads = 1,
        ProgressIntervalSteps = null,
    };
}
