using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>
/// A small stateful transformer used to prove persistence: writes <c>input + Shift + Offsets[slot]</c> into a new
/// vector column. <see cref="Shift"/> lives in the entry's body, <see cref="Offsets"/> in a separate binary stream.
/// </summary>
[ModelLoader(LoaderSignature)]
internal sealed class ShiftTransformer : ITransformer
{
    internal const string LoaderSignature = "AutoAssistTestShift";
    internal const string OffsetsStreamName = "Offsets.bin";
    internal static readonly ModelFormat Format = new("AATSHIFT", version: 0x00010001, LoaderSignature);

    public ShiftTransformer(string inputColumnName, string outputColumnName, float shift, float[] offsets)
    {
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Shift = shift;
        Offsets = offsets;
    }

    public string InputColumnName { get; }
    public string OutputColumnName { get; }
    public float Shift { get; }
    public float[] Offsets { get; }

    public bool IsRowToRowMapper => false;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var input = inputSchema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{InputColumnName}' not found.");
        if (input.Type is not VectorDataViewType { ItemType: NumberDataViewType number, Size: var size } || number != NumberDataViewType.Single || size != Offsets.Length)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Column '{InputColumnName}' must be a vector of {Offsets.Length} Single, not {input.Type}.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, Offsets.Length));
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input) => new AddedColumnView(input, GetOutputSchema(input.Schema), InputColumnName,
        (in VBuffer<float> source, ref VBuffer<float> destination) =>
        {
            var values = source.DenseValues().ToArray();
            for (int i = 0; i < values.Length; i++)
                values[i] += Shift + Offsets[i];
            destination = new VBuffer<float>(values.Length, values);
        });

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ModelPersistence.Save(ctx, this, Format, writer =>
        {
            writer.Write(InputColumnName);
            writer.Write(OutputColumnName);
            writer.Write(Shift);
        });
        ModelPersistence.SaveBinaryStream(ctx, OffsetsStreamName, writer =>
        {
            writer.Write(Offsets.Length);
            foreach (float offset in Offsets)
                writer.Write(offset);
        });
    }

    internal static ShiftTransformer Create(IHostEnvironment env, object ctx)
    {
        var reader = ModelPersistence.Load(ctx, Format);
        string input = reader.ReadString();
        string output = reader.ReadString();
        float shift = reader.ReadSingle();
        float[] offsets = [];
        ModelPersistence.LoadBinaryStream(ctx, OffsetsStreamName, blob =>
        {
            offsets = new float[blob.ReadInt32()];
            for (int i = 0; i < offsets.Length; i++)
                offsets[i] = blob.ReadSingle();
        });
        return new ShiftTransformer(input, output, shift, offsets);
    }
}

/// <summary>Holds another transformer as a nested model, to prove nested save and load.</summary>
[ModelLoader(LoaderSignature)]
internal sealed class WrappingTransformer : ITransformer
{
    internal const string LoaderSignature = "AutoAssistTestWrapping";
    internal static readonly ModelFormat Format = new("AATWRAP ", version: 0x00010001, LoaderSignature);
    private const string InnerName = "Inner";

    public WrappingTransformer(ITransformer inner) => Inner = inner;

    public ITransformer Inner { get; }

    public bool IsRowToRowMapper => Inner.IsRowToRowMapper;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Inner.GetRowToRowMapper(inputSchema);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Inner.GetOutputSchema(inputSchema);

    public IDataView Transform(IDataView input) => Inner.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ModelPersistence.Save(ctx, this, Format, _ => { });
        ModelPersistence.SaveModel(ctx, InnerName, Inner);
    }

    internal static WrappingTransformer Create(IHostEnvironment env, object ctx)
    {
        ModelPersistence.Load(ctx, Format);
        return new WrappingTransformer(ModelPersistence.LoadModel<ITransformer>(env, ctx, InnerName));
    }
}
