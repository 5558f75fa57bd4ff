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
    private const string IndividualWeightsEntry = "GroupTestingIndividualWeights.bin";
    // 0x00010002 adds the individual network of retests (a flag, then its design, architecture and width);
    // 0x00010003 adds the group threshold (older models decide at 0).
    private const uint SingleNetworkVersion = 0x00010001;
    private const uint RetestsVersion = 0x00010002;
    private static readonly ModelFormat Format = new("AAGRPTST", version: 0x00010003, LoaderSignature, oldestReadableVersion: SingleNetworkVersion);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        if (GroupTester is not ResNetGroupTester tester)
            throw new NotSupportedException("Group testing: only a trained network can be saved.");
        var individual = Tester is RetestingGroupTester retesting
            ? retesting.Individuals as ResNetGroupTester ?? throw new NotSupportedException("Group testing: only a trained individual network can be saved.")
            : null;
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
            writer.Write(individual is not null);
            if (individual is not null)
            {
                writer.Write((int)individual.Network.Design);
                writer.Write((int)individual.Architecture);
                writer.Write(individual.WidthMultiplier);
            }
            writer.Write(GroupThreshold);
        });
        // Weights are saved from the CPU so a model trained on a GPU loads anywhere.
        ModelPersistence.SaveBinaryStream(ctx, WeightsEntry, writer => CpuWeights.Save(writer, tester.Network, tester.Device, tester));
        if (individual is not null)
            ModelPersistence.SaveBinaryStream(ctx, IndividualWeightsEntry, writer => CpuWeights.Save(writer, individual.Network, individual.Device, individual));
    }

    /// <summary>Called by ML.NET when a saved model is loaded.</summary>
    internal static GroupTestingTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format, out uint version);
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
        (GroupTestingDesign Design, ResNetArchitecture Architecture, int Width)? individual = null;
        if (version > SingleNetworkVersion && reader.ReadBoolean())
            individual = ((GroupTestingDesign)reader.ReadInt32(), (ResNetArchitecture)reader.ReadInt32(), reader.ReadInt32());
        if (version > RetestsVersion)
            inference.GroupThreshold = reader.ReadSingle();

        var (gpu, fallback) = CatalogEnvironment.GetDeviceSettings(env);
        var device = TorchDeviceSelector.Select(gpu, fallback, message => env.Register("GroupTesting").Start("Load").Warning(MessageSensitivity.None, message));
        IGroupTester tester = LoadNetwork(ctx, WeightsEntry, design, architecture, width, shape, device);
        if (individual is { } i)
            tester = new RetestingGroupTester(tester, LoadNetwork(ctx, IndividualWeightsEntry, i.Design, i.Architecture, i.Width, shape, device));
        return new GroupTestingTransformer(env, tester, featureColumn, inference, architecture, width);
    }

    private static ResNetGroupTester LoadNetwork(object ctx, string entry, GroupTestingDesign design, ResNetArchitecture architecture, int width,
        ImageShape shape, Device device)
    {
        if (!Enum.IsDefined(design))
            throw new InvalidDataException($"Group testing: the saved model names an unknown design ({(int)design}).");
        var network = new GroupTestingNetwork(ResNet.Create(architecture, 2, shape.Channels, width), design);
        ModelPersistence.LoadBinaryStream(ctx, entry, weights => network.load(weights));
        network.to(device);
        network.eval();
        return new ResNetGroupTester(network, architecture, width, shape, device);
    }
}
