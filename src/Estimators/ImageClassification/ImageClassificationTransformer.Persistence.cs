using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>Saving and loading with <c>ml.Model.Save</c> / <c>ml.Model.Load</c>: the geometry, class names and the weights.</summary>
[ModelLoader(LoaderSignature)]
public sealed partial class ImageClassificationTransformer
{
    internal const string LoaderSignature = "AutoAssistResNet";
    private const string WeightsEntry = "ResNetWeights.bin";
    private static readonly ModelFormat Format = new("AARESNET", version: 0x00010001, LoaderSignature);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ModelPersistence.Save(ctx, this, Format, writer =>
        {
            writer.Write((int)Architecture);
            writer.Write(WidthMultiplier);
            writer.Write(ClassCount);
            writer.Write(Scorer.Shape.Channels);
            writer.Write(Scorer.Shape.Height);
            writer.Write(Scorer.Shape.Width);
            writer.Write(FeatureColumnName);
            writer.Write(_classNames.Length);
            foreach (var name in _classNames)
                writer.Write(name.ToString());
        });
        // Weights are saved from the CPU so a model trained on a GPU loads anywhere.
        ModelPersistence.SaveBinaryStream(ctx, WeightsEntry, writer => CpuWeights.Save(writer, Scorer.Model, Scorer.Device, Scorer));
    }

    /// <summary>Called by ML.NET when a saved model is loaded.</summary>
    internal static ImageClassificationTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format);
        var architecture = (ResNetArchitecture)reader.ReadInt32();
        int width = reader.ReadInt32();
        int classes = reader.ReadInt32();
        var shape = new ImageShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        string featureColumn = reader.ReadString();
        var names = new ReadOnlyMemory<char>[reader.ReadInt32()];
        for (int i = 0; i < names.Length; i++)
            names[i] = reader.ReadString().AsMemory();

        var model = ResNet.Create(architecture, classes, shape.Channels, width);
        ModelPersistence.LoadBinaryStream(ctx, WeightsEntry, weights => model.load(weights));
        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(env);
        var device = TorchDeviceSelector.Select(gpu, fallback, message => env.Register("ResNet").Start("Load").Warning(MessageSensitivity.None, message));
        model.to(device);
        model.eval();
        return new ImageClassificationTransformer(env, new ResNetScorer(model, shape, device), architecture, width, featureColumn, names, report: null);
    }
}
