using Microsoft.ML.Tokenizers;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The joint source/target subword vocabulary: a SentencePiece model (BPE or unigram, as
/// build/build-tokenizer.sh trains it) read by Microsoft.ML.Tokenizers. The model's bytes are
/// kept so the fitted transformer can save them inside the ML.NET model.
/// </summary>
/// <remarks>
/// The network's vocabulary is the tokenizer's plus one padding id after the last piece, so any
/// SentencePiece model works whether or not it was trained with a pad piece.
/// </remarks>
internal sealed class SubwordTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;

    private SubwordTokenizer(byte[] modelBytes)
    {
        ModelBytes = modelBytes;
        using var stream = new MemoryStream(modelBytes, writable: false);
        _tokenizer = SentencePieceTokenizer.Create(stream, false, false);
        int pieces = _tokenizer.Vocabulary.Values.Max() + 1;
        PadId = pieces;
        VocabularySize = pieces + 1;
        BeginId = _tokenizer.BeginningOfSentenceId;
        EndId = _tokenizer.EndOfSentenceId;
        if (BeginId < 0 || EndId < 0 || BeginId == EndId)
            throw new InvalidDataException("The SentencePiece model needs distinct begin- and end-of-sentence pieces (spm_train's default --bos_id and --eos_id, or those of build/build-tokenizer.sh).");
    }

    /// <summary>The SentencePiece model file's bytes.</summary>
    public byte[] ModelBytes { get; }

    /// <summary>Ids the network embeds and predicts: the model's pieces and the padding id.</summary>
    public int VocabularySize { get; }

    /// <summary>Padding (never a target, masked in attention).</summary>
    public int PadId { get; }

    /// <summary>Begin of sentence: the decoder's first input.</summary>
    public int BeginId { get; }

    /// <summary>End of sentence: ends the source and every target.</summary>
    public int EndId { get; }

    /// <summary>Reads a SentencePiece model file.</summary>
    public static SubwordTokenizer Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The SentencePiece model '{path}' was not found; build one with build/build-tokenizer.sh.", path);
        return FromBytes(File.ReadAllBytes(path));
    }

    /// <summary>Reads a SentencePiece model from its bytes (a model file's content).</summary>
    public static SubwordTokenizer FromBytes(byte[] modelBytes)
    {
        try
        {
            return new SubwordTokenizer(modelBytes);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"Not a SentencePiece model Microsoft.ML.Tokenizers can read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The text's piece ids, without begin or end marks; empty text gives none. Characters the
    /// model does not know become their UTF-8 bytes (BPE with byte fallback) or the unknown piece.
    /// </summary>
    public int[] Encode(ReadOnlySpan<char> text)
        => text.IsWhiteSpace() ? [] : _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false).ToArray();

    /// <summary>Text of piece ids; the marks and padding are left out.</summary>
    public string Decode(IEnumerable<int> ids)
        => _tokenizer.Decode(ids.Where(id => id != PadId && id != BeginId && id != EndId), considerSpecialTokens: false);
}
