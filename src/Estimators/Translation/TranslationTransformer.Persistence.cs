using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Saving and loading with <c>ml.Model.Save</c> / <c>ml.Model.Load</c>: the network's size, the
/// columns, the length limits and decoding settings, the SentencePiece model and the weights.
/// </summary>
[ModelLoader(LoaderSignature)]
public sealed partial class TranslationTransformer
{
    internal const string LoaderSignature = "AutoAssistTranslation";
    private const string TokenizerEntry = "SentencePiece.model";
    private const string WeightsEntry = "TranslationWeights.bin";
    private static readonly ModelFormat Format = new("AATRANSL", version: 0x00010001, LoaderSignature);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        var a = Translator.Network.Architecture;
        var encoder = Translator.Encoder;
        ModelPersistence.Save(ctx, this, Format, writer =>
        {
            writer.Write(a.VocabularySize);
            writer.Write(a.PadId);
            writer.Write(a.EncoderLayers);
            writer.Write(a.DecoderLayers);
            writer.Write(a.ModelDimension);
            writer.Write(a.AttentionHeads);
            writer.Write(a.FeedForwardDimension);
            writer.Write(a.Dropout);
            writer.Write(SourceColumnName);
            writer.Write(OutputColumnName);
            writer.Write(encoder.MaxSourceLength);
            writer.Write(encoder.MaxTargetLength);
            writer.Write((int)encoder.Overlong);
            writer.Write(Decoding.BeamSize);
            writer.Write(Decoding.LengthPenalty);
            writer.Write(Decoding.MaxLength);
        });
        ModelPersistence.SaveBinaryStream(ctx, TokenizerEntry, writer =>
        {
            writer.Write(encoder.Tokenizer.ModelBytes.Length);
            writer.Write(encoder.Tokenizer.ModelBytes);
        });
        // Weights are saved from the CPU so a model trained on a GPU loads anywhere.
        ModelPersistence.SaveBinaryStream(ctx, WeightsEntry, writer => CpuWeights.Save(writer, Translator.Network, Translator.Device, Translator.Network));
    }

    /// <summary>Called by ML.NET when a saved model is loaded.</summary>
    internal static TranslationTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format);
        var architecture = new TranslationArchitecture(VocabularySize: reader.ReadInt32(), PadId: reader.ReadInt32(), EncoderLayers: reader.ReadInt32(),
            DecoderLayers: reader.ReadInt32(), ModelDimension: reader.ReadInt32(), AttentionHeads: reader.ReadInt32(),
            FeedForwardDimension: reader.ReadInt32(), Dropout: reader.ReadDouble());
        string sourceColumn = reader.ReadString();
        string outputColumn = reader.ReadString();
        int maxSource = reader.ReadInt32();
        int maxTarget = reader.ReadInt32();
        var overlong = (OverlongTextHandling)reader.ReadInt32();
        var decoding = new TranslationDecoding(reader.ReadInt32(), reader.ReadDouble(), reader.ReadInt32());

        SubwordTokenizer? tokenizer = null;
        ModelPersistence.LoadBinaryStream(ctx, TokenizerEntry, entry => tokenizer = SubwordTokenizer.FromBytes(entry.ReadBytes(entry.ReadInt32())));
        if (tokenizer!.VocabularySize != architecture.VocabularySize || tokenizer.PadId != architecture.PadId)
            throw new InvalidDataException($"The saved SentencePiece model has {tokenizer.VocabularySize} ids, the saved network {architecture.VocabularySize}: the model file is damaged.");

        // No dropout generator: a loaded model only decodes (eval mode), where dropout draws nothing.
        var network = new TranslationNetwork(architecture, dropoutGenerator: null);
        ModelPersistence.LoadBinaryStream(ctx, WeightsEntry, weights => network.load(weights));
        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(env);
        var device = TorchDeviceSelector.Select(gpu, fallback, message => env.Register("Translation").Start("Load").Warning(MessageSensitivity.None, message));
        network.to(device);
        network.eval();
        var encoder = new SentenceEncoder(tokenizer, maxSource, maxTarget, overlong);
        return new TranslationTransformer(env, new Translator(network, encoder, device), sourceColumn, outputColumn, decoding, report: null);
    }
}
