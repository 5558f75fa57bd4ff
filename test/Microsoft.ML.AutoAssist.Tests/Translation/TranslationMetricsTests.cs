using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Translation;

/// <summary>
/// BLEU and chrF against sacreBLEU 2's own published test cases (test/test_bleu.py and
/// test/test_chrf.py of mjpost/sacrebleu; the expected numbers are copied from there), then
/// hand-worked cases.
/// </summary>
public class TranslationMetricsTests
{
    private static readonly string[] Hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];

    private static readonly string[][] References =
    [
        ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
        ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
    ];

    private static void Near(double expected, double actual, double tolerance)
        => Assert.True(Math.Abs(expected - actual) < tolerance, $"expected {expected}, got {actual}");

    // sacreBLEU test_corpus_bleu: default settings, two reference streams.
    [Fact]
    public void CorpusBleuMatchesSacreBleuDefaults()
    {
        Near(48.530827, SacreBleu.Corpus(Hypotheses, References).Score, 1e-6);
        Near(48.530827, SacreBleu.Corpus(Hypotheses, References, smoothing: BleuSmoothing.None).Score, 1e-6);
        Near(49.1919566, SacreBleu.Corpus(Hypotheses, References, tokenize: false).Score, 1e-6);
        Assert.Equal(0.0, SacreBleu.Corpus(["", "", ""], References).Score);
    }

    // sacreBLEU test_raw_bleu and test_effective_order: raw_corpus_bleu is floor smoothing, no tokenisation, effective order.
    [Theory]
    [InlineData("this is a test|another test", "ref1|ref2", 0.0)]
    [InlineData("this is a test", "this is a test", 1.0)]
    [InlineData("this is a fest", "this is a test", 0.223606797749979)]
    [InlineData("test", "a test", 0.3678794411714425)]
    [InlineData("a test", "a test", 1.0)]
    [InlineData("a little test", "a test", 0.03218297948685433)]
    public void RawBleuMatchesSacreBleu(string hypotheses, string references, double expected)
    {
        var score = SacreBleu.Corpus(hypotheses.Split('|'), [references.Split('|')], BleuSmoothing.Floor, floor: 0.01, tokenize: false, effectiveOrder: true);
        Near(expected, score.Score / 100, 1e-8);
    }

    // sacreBLEU test_statistics and test_offset.
    [Fact]
    public void StatisticsAndFloorMatchSacreBleu()
    {
        string[] hypothesis = ["am I am a character sequence"];
        string[][] reference = [["I am a symbol string sequence a a"]];
        var score = SacreBleu.Corpus(hypothesis, reference, BleuSmoothing.Floor, floor: 0.01, tokenize: false, effectiveOrder: true);
        Assert.Equal([4L, 2, 1, 0], score.Correct);
        Assert.Equal([6L, 5, 4, 3], score.Total);
        Assert.Equal(0.0, SacreBleu.Corpus(hypothesis, reference, BleuSmoothing.Floor, floor: 0, tokenize: false, effectiveOrder: true).Score);
        Near(0.1555722182, SacreBleu.Corpus(hypothesis, reference, BleuSmoothing.Floor, floor: 0.1, tokenize: false, effectiveOrder: true).Score / 100, 1e-8);
    }

    // sacreBLEU test_scoring and test_degenerate_statistics.
    [Fact]
    public void ScoreFromStatisticsMatchesSacreBleu()
    {
        Near(0.8375922397, SacreBleu.FromStatistics([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, BleuSmoothing.None).Score / 100, 1e-8);
        Assert.Equal(0.0, SacreBleu.FromStatistics([0, 0, 0, 0], [4, 4, 2, 1], 0, 1, BleuSmoothing.Floor, 0.0).Score);
        Assert.Equal(0.0, SacreBleu.FromStatistics([0, 0, 0, 0], [10, 11, 12, 0], 14, 10, BleuSmoothing.Floor, 0.0).Score);
        Assert.Equal(0.0, SacreBleu.FromStatistics([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, BleuSmoothing.Floor, 0.0).Score);
        Assert.Equal(0.0, SacreBleu.FromStatistics([6, 5, 4, 0], [6, 5, 4, 3], 6, 6, BleuSmoothing.Floor, 0.0).Score);
        Assert.Equal(0.0, SacreBleu.FromStatistics([0, 0, 0, 0], [0, 0, 0, 0], 1, 5, BleuSmoothing.Floor, 0.01).Score);
    }

    // sacreBLEU test_chrf (β = 3, epsilon smoothing) and test_chrf_eff_order (β = 3, effective order).
    [Theory]
    [InlineData("abcdefg", "hijklmnop", 0.0)]
    [InlineData("a", "b", 0.0)]
    [InlineData("", "b", 0.0)]
    [InlineData("", "ref", 0.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("aa", "ab", 8.3333)]
    [InlineData("a|b", "a|c", 8.3333)]
    [InlineData("a", "a", 16.6667)]
    [InlineData("a b c", "a b c", 50.0)]
    [InlineData("a b c", "abc", 50.0)]
    [InlineData(" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 63.361730)]
    [InlineData(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 64.1302698)]
    [InlineData("Niemand hat die Absicht, eine Mauer zu errichten", "Niemand hat die Absicht, eine Mauer zu errichten", 100.0)]
    public void ChrfWithEpsilonSmoothingMatchesSacreBleu(string hypotheses, string references, double expected)
        => Near(expected, SacreChrf.Corpus(hypotheses.Split('|'), [references.Split('|')], beta: 3, epsilonSmoothing: true), 1e-4);

    [Theory]
    [InlineData("a", "a", 100.0)]
    [InlineData("", "reference", 0.0)]
    [InlineData("a b c", "a b c", 100.0)]
    [InlineData("a b c", "abc", 100.0)]
    [InlineData("", "c", 0.0)]
    [InlineData("a|b", "a|c", 50.0)]
    [InlineData("aa", "ab", 25.0)]
    public void ChrfWithEffectiveOrderMatchesSacreBleu(string hypotheses, string references, double expected)
        => Near(expected, SacreChrf.Corpus(hypotheses.Split('|'), [references.Split('|')], beta: 3), 1e-4);

    // sacreBLEU test_chrf_keep_whitespace (β = 3).
    [Theory]
    [InlineData("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.", 67.3481606)]
    [InlineData("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
        "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .", 65.2414427)]
    public void ChrfKeepingWhitespaceMatchesSacreBleu(string hypothesis, string reference, double expected)
        => Near(expected, SacreChrf.Corpus([hypothesis], [[reference]], beta: 3, includeWhitespace: true), 1e-4);

    // sacreBLEU test_chrf_sentence_level: sentence_chrf with its default β = 2 and epsilon smoothing.
    [Theory]
    [InlineData("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
        "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.", 39.14078509)]
    [InlineData("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
        "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079)]
    [InlineData("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
        "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.", 57.15704367)]
    public void SentenceChrfMatchesSacreBleu(string hypothesis, string reference, double expected)
        => Near(expected, SacreChrf.Corpus([hypothesis], [[reference]], beta: 2, epsilonSmoothing: true), 1e-4);

    [Fact]
    public void IdenticalCorpusScores100AndEmptyHypothesesScore0()
    {
        string[] references = ["Das ist ein Test.", "Öffnen Sie das Menü „Datei“."];
        var identical = TranslationMetrics.Compute(references, references);
        Assert.Equal(100.0, identical.Bleu, 10);
        Assert.Equal(100.0, identical.Chrf, 10);
        Assert.Equal(1.0, identical.BrevityPenalty);

        var empty = TranslationMetrics.Compute(["", null], references);
        Assert.Equal(0.0, empty.Bleu);
        Assert.Equal(0.0, empty.Chrf);
        Assert.Equal(0, empty.HypothesisLength);
    }

    [Fact]
    public void ShortHypothesesPayTheBrevityPenalty()
    {
        // Every hypothesis n-gram matches (precisions 100), 4 tokens against 6: BLEU = exp(1 - 6/4) × 100.
        var metrics = TranslationMetrics.Compute(["a b c d"], ["a b c d e f"]);
        Assert.Equal([100.0, 100.0, 100.0, 100.0], metrics.BleuPrecisions);
        Assert.Equal(Math.Exp(1 - 6.0 / 4), metrics.BrevityPenalty, 12);
        Assert.Equal(100 * Math.Exp(-0.5), metrics.Bleu, 10);
    }

    [Fact]
    public void ExponentialSmoothingHalvesEachMissingOrder()
    {
        // "a b c x" against "a b c y": 1-grams 3/4, 2-grams 2/3, 3-grams 1/2, 4-grams 0/1 → 100 / (2 × 1).
        var metrics = TranslationMetrics.Compute(["a b c x"], ["a b c y"]);
        Assert.Equal([75.0, 100 * 2.0 / 3, 50.0, 50.0], metrics.BleuPrecisions, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(Math.Pow(75.0 * (200.0 / 3) * 50 * 50, 0.25), metrics.Bleu, 10);

        // Two missing orders: the second gets 100 / (4 × total).
        var two = SacreBleu.Corpus(["a b x y z"], [["a b c d e"]]);
        Assert.Equal([40.0, 25.0, 100.0 / (2 * 3), 100.0 / (4 * 2)], two.Precisions);
    }

    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("It costs 1,000.50 dollars.", "It costs 1,000.50 dollars .")]
    [InlineData("Pages 5-7 of the e-mail", "Pages 5 - 7 of the e-mail")]
    // The apostrophe (0x27) stays attached, as in mteval-v13a; so does a dash not after a digit.
    [InlineData("don't (really) [ok] {x} a/b @home #1 \"q\"", "don't ( really ) [ ok ] { x } a / b @ home # 1 \" q \"")]
    [InlineData("Öffnen Sie „Datei“ – Größe: 5€.", "Öffnen Sie „Datei“ – Größe : 5€ .")]
    [InlineData("a &amp; b &lt;c&gt; &quot;d&quot;", "a & b < c > \" d \"")]
    [InlineData("  spaced\tout \u00A0 text  ", "spaced out text")]
    public void Tokenizes13aLikeSacreBleu(string line, string expected)
        => Assert.Equal(expected, SacreBleu.Tokenize13a(line));

    [Fact]
    public void UnicodeAndPunctuationCountAsTokensAndCharacters()
    {
        // The hypothesis differs only by the missing full stop: 13a splits it off, so it costs one token (BP < 1).
        var metrics = TranslationMetrics.Compute(["Größe ändern"], ["Größe ändern."]);
        Assert.Equal(2, metrics.HypothesisLength);
        Assert.Equal(3, metrics.ReferenceLength);
        Assert.True(metrics.Bleu < 100);
        // chrF counts code points: an emoji outside the BMP is one character, as in Python.
        Assert.Equal(100.0, SacreChrf.Corpus(["😀 ok"], [["😀ok"]]), 10);
        Near(SacreChrf.Corpus(["xy"], [["xz"]]), SacreChrf.Corpus(["😀y"], [["😀z"]]), 1e-12);
    }
}
