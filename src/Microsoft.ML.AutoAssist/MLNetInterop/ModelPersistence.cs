using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// What a component author calls to make a class round-trip through <c>mlContext.Model.Save</c> and
/// <c>mlContext.Model.Load</c> with no registration call by the user. Mark the class
/// <c>[ModelLoader(LoaderSignature)]</c>, save from <see cref="ICanSaveModel.Save"/> with
/// <see cref="Save"/>, and load in <c>static TSelf Create(IHostEnvironment env, object ctx)</c> with
/// <see cref="Load(object, ModelFormat)"/>.
/// </summary>
/// <example>
/// <code>
/// [ModelLoader(LoaderSignature)]
/// internal sealed class ShiftTransformer : ITransformer
/// {
///     internal const string LoaderSignature = "AutoAssistShift";
///     private static readonly ModelFormat Format = new("AASHIFT ", version: 0x00010001, LoaderSignature);
///
///     void ICanSaveModel.Save(ModelSaveContext ctx) => ModelPersistence.Save(ctx, this, Format, w => w.Write(_shift));
///
///     internal static ShiftTransformer Create(IHostEnvironment env, object ctx)
///         => new(env, ModelPersistence.Load(ctx, Format).ReadSingle());
/// }
/// </code>
/// </example>
internal static class ModelPersistence
{
    /// <summary>
    /// Writes <paramref name="owner"/>'s entry: the header ML.NET needs to find the loader again, then the body
    /// written by <paramref name="writeBody"/>.
    /// </summary>
    /// <param name="ctx">The context ML.NET passes to <see cref="ICanSaveModel.Save"/>.</param>
    /// <param name="owner">The component being saved; its class must be marked with <see cref="ModelLoaderAttribute"/>.</param>
    /// <param name="format">The component's format; its loader signature must match the class's attribute.</param>
    /// <param name="writeBody">Writes the component's state.</param>
    public static void Save(ModelSaveContext ctx, ICanSaveModel owner, ModelFormat format, Action<BinaryWriter> writeBody)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(writeBody);
        ModelLoaderDeclarations.CheckDeclared(owner.GetType(), format.LoaderSignature);
        MLNetModelPersistence.SaveBody(ctx, format, owner.GetType(), writeBody);
    }

    /// <summary>Writes a separate binary entry named <paramref name="name"/> beside the component's body: the place for large blobs such as weights.</summary>
    public static void SaveBinaryStream(ModelSaveContext ctx, string name, Action<BinaryWriter> write)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(write);
        MLNetModelPersistence.SaveBinaryStream(ctx, name, write);
    }

    /// <summary>Saves a nested component (built-in or one of ours) under the sub-directory <paramref name="name"/>.</summary>
    public static void SaveModel(ModelSaveContext ctx, string name, ICanSaveModel model)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(model);
        MLNetModelPersistence.SaveModel(ctx, name, model);
    }

    /// <summary>
    /// Checks the entry's format signature and version against <paramref name="format"/> (a clear
    /// <see cref="FormatException"/> when they do not fit) and returns the reader of the body.
    /// </summary>
    /// <param name="ctx">The ModelLoadContext ML.NET passes to <c>Create</c>.</param>
    /// <param name="format">The component's current format.</param>
    public static BinaryReader Load(object ctx, ModelFormat format) => Load(ctx, format, out _);

    /// <summary>As <see cref="Load(object, ModelFormat)"/>, also giving the version the body was written in, for reading older layouts.</summary>
    public static BinaryReader Load(object ctx, ModelFormat format, out uint writtenVersion)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(format);
        return MLNetModelPersistence.BeginLoad(ctx, format, out writtenVersion);
    }

    /// <summary>Reads the binary entry <paramref name="name"/> written by <see cref="SaveBinaryStream"/>; false when there is none.</summary>
    public static bool TryLoadBinaryStream(object ctx, string name, Action<BinaryReader> read)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(read);
        return MLNetModelPersistence.TryLoadBinaryStream(ctx, name, read);
    }

    /// <summary>Reads the binary entry <paramref name="name"/>; a <see cref="FormatException"/> when the model lacks it.</summary>
    public static void LoadBinaryStream(object ctx, string name, Action<BinaryReader> read)
    {
        if (!TryLoadBinaryStream(ctx, name, read))
            throw new FormatException($"The model file is corrupt: the entry '{name}' is missing.");
    }

    /// <summary>Loads a nested component saved by <see cref="SaveModel"/>.</summary>
    public static T LoadModel<T>(IHostEnvironment env, object ctx, string name)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return MLNetModelPersistence.LoadModel<T>(env, ctx, name);
    }
}
