using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Saving and loading the filter with <c>mlContext.Model.Save</c> / <c>Load</c>. A loaded filter passes
/// rows through like the original and keeps its settings, so re-fitting a loaded pipeline selects the
/// same way; a custom <see cref="AutoAssistFilterOptions.AssistantFactory"/> is code, not data, and
/// is not saved (the loaded filter uses the built-in Assistant). The selection method saves its own
/// settings under its name (<see cref="SelectionMethods"/>); a method of your own must be registered
/// before a model that uses it is loaded.
/// </summary>
[ModelLoader(LoaderSignature)]
public sealed partial class AutoAssistFilterTransformer
{
    internal const string LoaderSignature = "AutoAssistFilter";

    /// <summary>Filter settings, then the selection method by name with its own versioned settings.</summary>
    private const uint MethodsByNameVersion = 0x00010002;

    /// <summary>Every method's settings as flat, positional fields after a method number.</summary>
    private const uint FlatOptionsVersion = 0x00010001;

    private static readonly ModelFormat Format = new("AAFILTER", MethodsByNameVersion, LoaderSignature, oldestReadableVersion: FlatOptionsVersion);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this, Format, writer =>
    {
        var o = _options;
        writer.Write(o.FeatureColumnName);
        WriteNullable(writer, o.LabelColumnName);
        WriteNullable(writer, o.SourceColumnName);
        WriteNullable(writer, o.TargetColumnName);
        WriteNullable(writer, o.AssistantLearningRate);
        WriteNullable(writer, o.AssistantL2);
        writer.Write(o.Seed.HasValue);
        writer.Write(o.Seed ?? 0);
        writer.Write(o.FeedbackQueueCapacity);
        SelectionMethods.Save(writer, o.Selection);
    });

    /// <summary>Called by ML.NET when a saved model is loaded.</summary>
    internal static AutoAssistFilterTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format, out uint version);
        var options = version == FlatOptionsVersion ? ReadFlatOptions(reader) : ReadOptions(reader);
        options.Validate();
        return new AutoAssistFilterTransformer(env, options);
    }

    private static AutoAssistFilterOptions ReadOptions(BinaryReader reader)
    {
        var o = new AutoAssistFilterOptions
        {
            FeatureColumnName = reader.ReadString(),
            LabelColumnName = ReadNullableString(reader),
            SourceColumnName = ReadNullableString(reader),
            TargetColumnName = ReadNullableString(reader),
            AssistantLearningRate = ReadNullableSingle(reader),
            AssistantL2 = ReadNullableSingle(reader),
        };
        o.Seed = ReadNullableInt32(reader);
        o.FeedbackQueueCapacity = reader.ReadInt32();
        o.Selection = SelectionMethods.Load(reader);
        return o;
    }

    /// <summary>
    /// Reads the layout before methods had their own settings: a method number, then the settings of
    /// every method in one list. The chosen method's settings go to its options; the others'
    /// settings are read and dropped, as they never affected the model.
    /// </summary>
    private static AutoAssistFilterOptions ReadFlatOptions(BinaryReader reader)
    {
        int method = reader.ReadInt32();
        var o = new AutoAssistFilterOptions
        {
            FeatureColumnName = reader.ReadString(),
            LabelColumnName = ReadNullableString(reader),
            SourceColumnName = ReadNullableString(reader),
            TargetColumnName = ReadNullableString(reader),
        };
        var autoAssist = new AutoAssistOptions
        {
            BaseKeepProbability = reader.ReadSingle(),
            FirstPassKeepsAll = reader.ReadBoolean(),
            ThresholdMomentum = reader.ReadSingle(),
            AdaptiveFloor = reader.ReadBoolean(),
            Reweight = reader.ReadBoolean(),
            FinalFullDataFraction = reader.ReadSingle(),
        };
        autoAssist.SelectAsLayout1();   // models of this format predate the layout-2 settings
        o.AssistantLearningRate = ReadNullableSingle(reader);
        o.AssistantL2 = ReadNullableSingle(reader);
        var infoBatch = new InfoBatchOptions { PruneRatio = reader.ReadSingle(), FinalFullDataFraction = reader.ReadSingle() };
        var selectiveBackprop = new SelectiveBackpropOptions { Beta = reader.ReadSingle(), Floor = reader.ReadSingle(), HistorySize = reader.ReadInt32(), PrimeEpochs = 0 };
        var lossSampling = new LossSamplingOptions { KeepFraction = reader.ReadSingle(), Floor = reader.ReadSingle() };
        // Models of this format trained Selective Backprop without a priming pass (PrimeEpochs = 0 above keeps it so).
        o.Seed = ReadNullableInt32(reader);
        reader.ReadInt32(); // rows per prefetch block: epochs no longer run in blocks
        reader.ReadInt32(); // prefetch blocks
        o.FeedbackQueueCapacity = reader.ReadInt32();
        // The numbers of the former SelectionMethod enum, in its order.
        o.Selection = method switch
        {
            0 => new UniformOptions(),
            1 => autoAssist,
            2 => infoBatch,
            3 => selectiveBackprop,
            4 => lossSampling,
            _ => throw new FormatException($"The model file names selection method number {method}, which this format never had."),
        };
        return o;
    }

    private static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        writer.Write(value ?? "");
    }

    private static void WriteNullable(BinaryWriter writer, float? value)
    {
        writer.Write(value.HasValue);
        writer.Write(value ?? 0f);
    }

    private static string? ReadNullableString(BinaryReader reader)
    {
        bool has = reader.ReadBoolean();
        string value = reader.ReadString();
        return has ? value : null;
    }

    private static float? ReadNullableSingle(BinaryReader reader)
    {
        bool has = reader.ReadBoolean();
        float value = reader.ReadSingle();
        return has ? value : null;
    }

    private static int? ReadNullableInt32(BinaryReader reader)
    {
        bool has = reader.ReadBoolean();
        int value = reader.ReadInt32();
        return has ? value : null;
    }
}
