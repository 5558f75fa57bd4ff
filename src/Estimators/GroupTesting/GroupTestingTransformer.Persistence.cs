using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AutoAssist;

/// <summary>Saving and loading with <c>ml.Model.Save</c> / <c>ml.Model.Load</c>: the settings, the geometry and the weights.</summary>
[ModelLoader(LoaderSignature)]
public sealed partial class GroupTestingTransformer
{
    internal const string LoaderSignature = "AutoAssistGroupTest";
    private const string WeightsEntry = "GroupTestingWeights.bin";
    private static readonly ModelFormat Format = new("AAGRPTST", version: 0x00010001, LoaderSignature);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        if (Tester is not ResNetGroupTester tester)
            throw new NotSupportedException("Group testing: only a trained network can be saved.");
        ModelPersistence.Save(ctx, this, Format, writer =>
        {
            writer.Write((int)tester.Network.Design);
            writer.Write((int)Architecture);
            writer.Write(WidthMultiplier);
            writer.Write(tester.Shape.Channels);
            writer.Write(tester.Shape.Height);
            writer.Write(tester.Shape.Width);
            writer.Write(FeatureColumnName);
            writer.Write((int)Algorithm);
            writer.Write(GroupSize);
            writer.Write(Seed);
        });
        // Weights are saved from the CPU so a model trained on a GPU loads anywhere.
        ModelPersistence.SaveBinaryStream(ctx, WeightsEntry, writer => CpuWeights.Save(writer, tester.Network, tester.Device, tester));
    }

    /// <summary>Called by ML.NET when a saved model is loaded.</summary>
    internal static GroupTestingTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format);
        var design = (GroupTestingDesign)reader.ReadInt32();
        var architecture = (ResNetArchitecture)reader.ReadInt32();
        int width = reader.ReadInt32();
        var shape = new ImageShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        string featureColumn = reader.ReadString();
        var inference = new GroupTestingInferenceOptions
        {
            Algorithm = (GroupTestingAlgorithm)reader.ReadInt32(),
            GroupSize = reader.ReadInt32(),
            Seed = reader.ReadInt32(),
        };
        if (!Enum.IsDefined(design))
            throw new InvalidDataException($"Group testing: the saved model names an unknown design ({(int)design}).");

        var network = new GroupTestingNetwork(ResNet.Create(architecture, 2, shape.Channels, width), design);
        ModelPersistence.LoadBinaryStream(ctx, WeightsEntry, weights => network.load(weights));
        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(env);
        var device = TorchDeviceSelector.Select(gpu, fallback, message => env.Register("GroupTesting").Start("Load").Warning(MessageSensitivity.None, message));
        network.to(device);
        network.eval();
        return new GroupTestingTransformer(env, new ResNetGroupTester(network, shape, device), featureColumn, inference, architecture, width);
    }
}
