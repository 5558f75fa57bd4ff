using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Saving and loading the filter with <c>mlContext.Model.Save</c> / <c>Load</c>. A loaded filter passes
/// rows through like the original and keeps its settings, so re-fitting a loaded pipeline selects the
/// same way; a custom <see cref="AutoAssistFilterOptions.AssistantFactory"/> is code, not data, and
/// is not saved (the loaded filter uses the built-in Assistant).
/// </summary>
[ModelLoader(LoaderSignature)]
public sealed partial class AutoAssistFilterTransformer
{
    internal const string LoaderSignature = "AutoAssistFilter";
    private static readonly ModelFormat Format = new("AAFILTER", version: 0x00010001, LoaderSignature);

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this, Format, writer =>
    {
        var o = _options;
        writer.Write((int)o.Method);
        writer.Write(o.FeatureColumnName);
        WriteNullable(writer, o.LabelColumnName);
        WriteNullable(writer, o.SourceColumnName);
        WriteNullable(writer, o.TargetColumnName);
        writer.Write(o.BaseKeepProbability);
        writer.Write(o.FirstPassKeepsAll);
        writer.Write(o.ThresholdMomentum);
        writer.Write(o.AdaptiveFloor);
        writer.Write(o.Reweight);
        writer.Write(o.FinalFullDataFraction);
        WriteNullable(writer, o.AssistantLearningRate);
        WriteNullable(writer, o.AssistantL2);
        writer.Write(o.InfoBatchPruneRatio);
        writer.Write(o.InfoBatchFinalFullDataFraction);
        writer.Write(o.SelectiveBackpropBeta);
        writer.Write(o.SelectiveBackpropFloor);
        writer.Write(o.SelectiveBackpropHistorySize);
        writer.Write(o.LossSamplingKeepFraction);
        writer.Write(o.LossSamplingFloor);
        writer.Write(o.Seed.HasValue);
        writer.Write(o.Seed ?? 0);
        writer.Write(o.PrefetchBlockSize);
        writer.Write(o.PrefetchBlocks);
        writer.Write(o.FeedbackQueueCapacity);
    });

    /// <summary>Called by ML.NET when a saved model is loaded.</summary>
    internal static AutoAssistFilterTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format);
        var o = new AutoAssistFilterOptions
        {
            Method = (SelectionMethod)reader.ReadInt32(),
            FeatureColumnName = reader.ReadString(),
            LabelColumnName = ReadNullableString(reader),
            SourceColumnName = ReadNullableString(reader),
            TargetColumnName = ReadNullableString(reader),
            BaseKeepProbability = reader.ReadSingle(),
            FirstPassKeepsAll = reader.ReadBoolean(),
            ThresholdMomentum = reader.ReadSingle(),
            AdaptiveFloor = reader.ReadBoolean(),
            Reweight = reader.ReadBoolean(),
            FinalFullDataFraction = reader.ReadSingle(),
            AssistantLearningRate = ReadNullableSingle(reader),
            AssistantL2 = ReadNullableSingle(reader),
            InfoBatchPruneRatio = reader.ReadSingle(),
            InfoBatchFinalFullDataFraction = reader.ReadSingle(),
            SelectiveBackpropBeta = reader.ReadSingle(),
            SelectiveBackpropFloor = reader.ReadSingle(),
            SelectiveBackpropHistorySize = reader.ReadInt32(),
            LossSamplingKeepFraction = reader.ReadSingle(),
            LossSamplingFloor = reader.ReadSingle(),
        };
        bool hasSeed = reader.ReadBoolean();
        int seed = reader.ReadInt32();
        o.Seed = hasSeed ? seed : null;
        o.PrefetchBlockSize = reader.ReadInt32();
        o.PrefetchBlocks = reader.ReadInt32();
        o.FeedbackQueueCapacity = reader.ReadInt32();
        o.Validate();
        return new AutoAssistFilterTransformer(env, o);
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
}
