using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The only place that touches ML.NET's internal model-persistence plumbing. ML.NET keeps the
/// members a component needs to save and load itself (ModelSaveContext.SetVersionInfo, the
/// ModelLoadContext class, VersionInfo, LoadableClassAttribute) internal, so they are reached here
/// by reflection, resolved once and checked all together so that an ML.NET upgrade that moves one
/// fails with a message naming it instead of a NullReferenceException deep inside Model.Load.
/// </summary>
/// <remarks>
/// How a model finds its way back: when a component saves, its header records a loader signature and
/// a loader assembly name. <c>Model.Load</c> calls <c>Assembly.Load</c> on that name, registers the
/// assembly's <c>[assembly: LoadableClass]</c> attributes with the context's component catalog, and
/// calls the static <c>Create(IHostEnvironment, ModelLoadContext)</c> of the class registered under the
/// signature. No public API adds a LoadableClassAttribute, and the runtime silently drops one carried by
/// an assembly that lacks <c>[IgnoresAccessChecksTo("Microsoft.ML.Core")]</c>. So each assembly that
/// declares <see cref="ModelLoaderAttribute"/> classes gets a loader assembly,
/// "{declaring assembly}.ModelLoaders", that carries both (<see cref="LoaderAssemblyImage"/>): the build
/// writes it beside the declaring assembly and lists it in deps.json (build/ModelLoaders.targets), which
/// is what lets a fresh process load a model; where no such file can be found, the AssemblyResolve
/// handler installed by the module initializer generates the same bytes in memory. Verified on
/// ML.NET 5.0.1; the members used have not changed in substance since 2021.
/// </remarks>
internal static class MLNetModelPersistence
{
    /// <summary>The ML.NET package versions whose internals this file is tested against.</summary>
    public const string SupportedMLNetVersions = "[5.0.1, 5.1)";

    private static readonly Assembly MLNetCore = typeof(ModelSaveContext).Assembly;

    // Lazy caches the exception too: every later call fails with the same clear message.
    private static readonly Lazy<InternalMembers> Members = new(() => InternalMembers.Resolve(MLNetCore, throwIfMissing: true));

    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> InMemoryLoaders = new(StringComparer.OrdinalIgnoreCase);

    private static int _resolverInstalled;

    /// <summary>
    /// Installs the AssemblyResolve handler that generates a loader assembly the host cannot find. Runs as
    /// the module initializer, i.e. as soon as any code of this assembly runs.
    /// </summary>
#pragma warning disable CA2255 // A library needs the handler before ML.NET asks for a loader assembly; nothing else runs that early.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void EnsureLoaderResolverInstalled()
    {
        if (Interlocked.Exchange(ref _resolverInstalled, 1) == 0)
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
    }

    /// <summary>Names every internal member this file needs that <paramref name="mlnetCore"/> (default: the loaded Microsoft.ML.Core) lacks.</summary>
    public static IReadOnlyList<string> FindMissingMembers(Assembly? mlnetCore = null)
        => InternalMembers.Resolve(mlnetCore ?? MLNetCore, throwIfMissing: false).Missing;

    /// <summary>
    /// Throws, naming the missing members and the supported versions, unless every internal member resolves
    /// in <paramref name="mlnetCore"/> (default: the loaded Microsoft.ML.Core).
    /// </summary>
    public static void EnsureSupported(Assembly? mlnetCore = null)
    {
        if (mlnetCore is null || mlnetCore == MLNetCore)
            _ = Members.Value;
        else
            InternalMembers.Resolve(mlnetCore, throwIfMissing: true);
    }

    // ---------------------------------------------------------------- saving

    /// <summary>
    /// Checks that <paramref name="loadableType"/> can be loaded again, records the header (format and loader
    /// assembly name), and writes the body that <paramref name="writeBody"/> produces, followed by its CRC-32
    /// trailer (<see cref="EntryIntegrity"/>).
    /// </summary>
    public static void SaveBody(ModelSaveContext ctx, ModelFormat format, Type loadableType, Action<BinaryWriter> writeBody)
    {
        var m = Members.Value;
        CheckCreateMethod(m, loadableType, format.LoaderSignature); // fail at save, not at the user's next load
        var loader = GetLoaderAssembly(loadableType.Assembly);
        CheckRegisters(loader, loadableType, format.LoaderSignature);
        Call(m.SaveCheckAtModel, ctx);
        Call(m.SetVersionInfo, ctx, NewVersionInfo(m, format, loader.FullName));

        // The body is gathered first because its checksum goes after it.
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writeBody(writer);
            writer.Flush();
        }
        EntryIntegrity.WriteBody((BinaryWriter)m.SaveWriter.GetValue(ctx)!, body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    /// <summary>Writes a separate binary entry beside the component's main stream (large blobs such as weights), framed with its length and CRC-32.</summary>
    public static void SaveBinaryStream(ModelSaveContext ctx, string name, Action<BinaryWriter> write)
        => Call(Members.Value.SaveBinaryStream, ctx, name, (Action<BinaryWriter>)(writer => EntryIntegrity.WriteBlob(writer, write)));

    /// <summary>Saves a nested component into a sub-directory of this component's entry.</summary>
    public static void SaveModel(ModelSaveContext ctx, string name, ICanSaveModel model)
        => Call(Members.Value.SaveModel.MakeGenericMethod(typeof(ICanSaveModel)), ctx, model, name);

    // ---------------------------------------------------------------- loading

    /// <summary>
    /// Checks the header of the component's stream against <paramref name="format"/> and the body against its
    /// CRC-32 trailer, with messages that name the component and the entry, then returns the body reader.
    /// </summary>
    public static BinaryReader BeginLoad(object ctx, ModelFormat format, out uint writtenVersion)
    {
        var m = Members.Value;
        CheckIsLoadContext(m, ctx);
        object header = m.LoadHeader.GetValue(ctx)!;
        ulong signature = (ulong)m.HeaderModelSignature.GetValue(header)!;
        uint written = (uint)m.HeaderModelVerWritten.GetValue(header)!;
        uint readable = (uint)m.HeaderModelVerReadable.GetValue(header)!;
        string? directory = (string?)m.LoadDirectory.GetValue(ctx);

        string what = Describe(format.LoaderSignature, directory, ModelStreamName);
        if (signature != EncodeModelSignature(format.ModelSignature))
            throw new FormatException($"{what}: its stream has format signature '{DecodeModelSignature(signature)}', " +
                $"expected '{format.ModelSignature}'. The model file is corrupt or this entry was written by another component.");
        if (readable > written)
            throw new FormatException($"{what}: corrupt header (readable version 0x{readable:X8} is newer than written version 0x{written:X8}).");
        if (readable > format.Version)
            throw new FormatException($"{what}: the model was saved in format version 0x{written:X8} by a newer release, " +
                $"which needs a reader of version 0x{readable:X8}; this release reads versions 0x{format.OldestReadableVersion:X8} " +
                $"to 0x{format.Version:X8}. Load it with a newer Microsoft.ML.AutoAssist.");
        if (written < format.OldestReadableVersion)
            throw new FormatException($"{what}: the model was saved in format version 0x{written:X8}, which this release no longer " +
                $"reads (it reads 0x{format.OldestReadableVersion:X8} to 0x{format.Version:X8}). Retrain and save the model again.");

        // ML.NET's own check: the same version rules plus the stream position.
        Call(m.LoadCheckAtModel, ctx, NewVersionInfo(m, format, loaderAssemblyName: null));
        writtenVersion = written;

        var reader = (BinaryReader)m.LoadReader.GetValue(ctx)!;
        var body = ReadCheckedBody(reader, (long)m.HeaderCbModel.GetValue(header)!, what);
        LoadedComponents.AddOrUpdate(ctx, new LoadedComponent(format.LoaderSignature, directory, Checked: body is not null));
        return body ?? reader;
    }

    /// <summary>
    /// Reads the model block. A block with the CRC-32 trailer is checked and its body returned as a reader of its
    /// own, leaving ML.NET's reader at the end of the block, where ML.NET expects it once Create returns. A block
    /// without one (a model saved before the trailer existed) gives null, and ML.NET's reader goes back to the
    /// start of the block for the component to read as before.
    /// </summary>
    private static BinaryReader? ReadCheckedBody(BinaryReader reader, long blockSize, string what)
    {
        // ML.NET has already checked the block against the entry's length, so this allocates no more than the entry holds.
        if (blockSize is < 0 or > int.MaxValue)
            throw new FormatException($"{what}: its header declares a model block of {blockSize} bytes. The model file is damaged.");
        var block = reader.ReadBytes((int)blockSize);
        if (block.Length != blockSize)
            throw new FormatException($"{what}: its model block ends after {block.Length} of {blockSize} bytes. The model file is damaged.");
        if (EntryIntegrity.TryCheckBody(block, what, out int bodyLength))
            return new BinaryReader(new MemoryStream(block, 0, bodyLength, writable: false), Encoding.UTF8);
        reader.BaseStream.Position -= block.Length;
        return null;
    }

    /// <summary>
    /// Reads a binary entry written by <see cref="SaveBinaryStream"/>; false when the model has none of that name.
    /// A framed entry is checked against its length and CRC-32 before <paramref name="read"/> sees it; anything
    /// <paramref name="read"/> fails with on damaged data becomes a <see cref="FormatException"/> that names the
    /// component and the entry.
    /// </summary>
    public static bool TryLoadBinaryStream(object ctx, string name, Action<BinaryReader> read)
    {
        var m = Members.Value;
        CheckIsLoadContext(m, ctx);
        var component = GetLoadedComponent(ctx);
        string what = Describe(component.LoaderSignature, component.Directory, name);
        Action<BinaryReader> checkedRead = entry =>
        {
            if (!component.Checked && !EntryIntegrity.IsFramedBlob(entry.BaseStream))
            {
                TranslateDecodingFailures(what, () => read(entry)); // a model saved before entries were framed
                return;
            }
            var payload = EntryIntegrity.ReadBlob(entry.BaseStream, what);
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            TranslateDecodingFailures(what, () => read(reader));
        };
        return (bool)Call(m.TryLoadBinaryStream, ctx, name, checkedRead)!;
    }

    /// <summary>
    /// Loads a nested component saved by <see cref="SaveModel"/>. A failure to decode it, in ML.NET or in the
    /// nested component, becomes a <see cref="FormatException"/> that names this component and the nested entry.
    /// </summary>
    public static T LoadModel<T>(IHostEnvironment env, object ctx, string name)
        where T : class
    {
        var m = Members.Value;
        CheckIsLoadContext(m, ctx);
        var component = GetLoadedComponent(ctx);
        var args = new object?[] { env, null, name, Array.Empty<object>() };
        string nestedEntry = EntryPath(component.Directory, name, ModelStreamName);
        TranslateDecodingFailures($"{Describe(component.LoaderSignature, component.Directory, ModelStreamName)}: its nested model '{nestedEntry}' cannot be loaded",
            () => Call(m.LoadModel.MakeGenericMethod(typeof(T), m.SignatureLoadModel), ctx, args));
        return (T)args[1]!;
    }

    // ---------------------------------------------------------------- damaged models

    private const string ModelStreamName = "Model.key";

    /// <summary>What <see cref="BeginLoad"/> found about each component being loaded, for the binary entries and nested models it reads next.</summary>
    private static readonly ConditionalWeakTable<object, LoadedComponent> LoadedComponents = new();

    private sealed record LoadedComponent(string LoaderSignature, string? Directory, bool Checked);

    private static LoadedComponent GetLoadedComponent(object ctx)
        => LoadedComponents.TryGetValue(ctx, out var component) ? component
            : throw new InvalidOperationException("Call ModelPersistence.Load(ctx, Format) in Create before reading the component's binary entries or nested models.");

    private static string Describe(string loaderSignature, string? directory, string entry)
        => $"Cannot load component '{loaderSignature}' from entry '{EntryPath(directory, entry)}'";

    /// <summary>An entry's path in the zip, with '/' whatever ML.NET's directory uses.</summary>
    private static string EntryPath(string? directory, params string[] names)
        => string.Join('/', new[] { directory?.Replace('\\', '/') }.Concat(names).Where(part => !string.IsNullOrEmpty(part)));

    /// <summary>
    /// Runs <paramref name="load"/> and turns what a reader throws on damaged data into a <see cref="FormatException"/>
    /// prefixed with <paramref name="what"/>, the original as its inner exception. ML.NET calls Create by reflection,
    /// so an exception from a nested component arrives wrapped in TargetInvocationExceptions; they are peeled off.
    /// </summary>
    private static void TranslateDecodingFailures(string what, Action load)
    {
        try
        {
            load();
        }
        catch (Exception e) when (IsDecodingFailure(Unwrap(e)))
        {
            var cause = Unwrap(e);
            throw new FormatException($"{what}: {cause.Message}", cause);
        }
    }

    /// <summary>What readers throw on damaged or cut data; anything else (a bug, out of memory) passes unchanged.</summary>
    internal static bool IsDecodingFailure(Exception e)
        => e is FormatException or InvalidDataException or IOException or ArgumentException or OverflowException
            or System.Runtime.InteropServices.ExternalException;

    /// <summary>Peels off the wrappers that reflection (TargetInvocationException) and ML.NET ("Error during class instantiation") add.</summary>
    internal static Exception Unwrap(Exception e)
    {
        while (e.InnerException is { } inner && (e is TargetInvocationException || e is InvalidOperationException && inner is TargetInvocationException))
            e = inner;
        return e;
    }

    // ---------------------------------------------------------------- loader assemblies

    /// <summary>
    /// Returns the loader assembly for <paramref name="declaringAssembly"/>: the file the build put beside it
    /// when the host can resolve it, otherwise one generated in memory by the AssemblyResolve handler.
    /// </summary>
    public static Assembly GetLoaderAssembly(Assembly declaringAssembly)
    {
        EnsureLoaderResolverInstalled();
        return Assembly.Load(LoaderAssemblyImage.LoaderNameFor(declaringAssembly.GetName()));
    }

    /// <summary>
    /// Emits the loader assembly for <paramref name="declaringAssembly"/> from its <see cref="ModelLoaderAttribute"/>
    /// classes, after checking that ML.NET can create each one.
    /// </summary>
    public static byte[] EmitLoaderAssembly(Assembly declaringAssembly)
    {
        var m = Members.Value;
        var declarations = ModelLoaderDeclarations.Find(declaringAssembly);
        foreach (var declaration in declarations)
            CheckCreateMethod(m, declaration.Type, declaration.LoaderSignature);

        var declaringName = declaringAssembly.GetName();
        var references = declaringAssembly.GetReferencedAssemblies();
        AssemblyName Reference(string name) => references.FirstOrDefault(r => r.Name == name)
            ?? throw new InvalidOperationException($"'{declaringName.Name}' declares loadable classes but does not reference {name}.");

        return LoaderAssemblyImage.Write(LoaderAssemblyImage.LoaderNameFor(declaringName), Reference("System.Runtime"), Reference(LoaderAssemblyImage.MLNetCoreName),
            declarations.Select(d => new LoaderAssemblyImage.Loadable(d.Type.AssemblyQualifiedName!, d.Type.Name, d.LoaderSignature)));
    }

    /// <summary>Throws unless <paramref name="loader"/> registers <paramref name="type"/> under <paramref name="loaderSignature"/>.</summary>
    private static void CheckRegisters(Assembly loader, Type type, string loaderSignature)
    {
        bool registered = loader.GetCustomAttributesData().Any(a =>
            a.AttributeType.Name == LoaderAssemblyImage.LoadableClassAttributeName
            && a.ConstructorArguments.Count == 6
            && Equals(a.ConstructorArguments[0].Value, type)
            && a.ConstructorArguments[5].Value is IEnumerable<CustomAttributeTypedArgument> names
            && names.Any(n => Equals(n.Value, loaderSignature)));
        if (!registered)
            throw new InvalidOperationException(
                $"The loader assembly '{loader.FullName}' ({(string.IsNullOrEmpty(loader.Location) ? "generated in memory" : loader.Location)}) " +
                $"does not register '{type.FullName}' under '{loaderSignature}', so the model could not be loaded again. Rebuild the project that declares it.");
    }

    private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
    {
        string? requested = new AssemblyName(args.Name).Name;
        if (requested is null || !requested.EndsWith(LoaderAssemblyImage.Suffix, StringComparison.OrdinalIgnoreCase))
            return null;
        var declaring = FindAssembly(requested[..^LoaderAssemblyImage.Suffix.Length]);
        if (declaring is null)
            return null;
        // Only reached when the host cannot find a loader file: generate one, once per declaring assembly.
        return InMemoryLoaders.GetOrAdd(declaring.GetName().Name!, _ => new Lazy<Assembly>(
            () => AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(EmitLoaderAssembly(declaring))))).Value;
    }

    private static Assembly? FindAssembly(string simpleName)
    {
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!loaded.IsDynamic && string.Equals(loaded.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase))
                return loaded;
        }
        try
        {
            return Assembly.Load(new AssemblyName(simpleName));
        }
        catch (IOException)
        {
            return null;
        }
    }

    // Mirrors what ML.NET's catalog accepts (ComponentCatalog.FindCreateMethod): a static Create declared on the
    // class itself, returning exactly the class, taking the environment and something a ModelLoadContext fits.
    internal static void CheckCreateMethod(Type type, string loaderSignature) => CheckCreateMethod(Members.Value, type, loaderSignature);

    private static void CheckCreateMethod(InternalMembers m, Type type, string loaderSignature)
    {
        var create = type.GetMethod("Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly,
            binder: null, [typeof(IHostEnvironment), m.LoadContextType], modifiers: null);
        if (create is null || create.ReturnType != type || type.ContainsGenericParameters)
            throw new InvalidOperationException(
                $"'{type.FullName}' is marked [ModelLoader(\"{loaderSignature}\")] but ML.NET cannot create it: it needs a non-generic " +
                $"'static {type.Name} Create(IHostEnvironment env, object ctx)' declared on the class itself.");
    }

    // ---------------------------------------------------------------- internal members

    private static object NewVersionInfo(InternalMembers m, ModelFormat format, string? loaderAssemblyName)
        => m.VersionInfoCtor.Invoke([format.ModelSignature, format.Version, format.Version, format.OldestReadableVersion,
            loaderAssemblyName, format.LoaderSignature, null]);

    // Same packing as VersionInfo: eight Latin-1 characters, little-endian, space stored as zero.
    private static ulong EncodeModelSignature(string signature)
    {
        ulong value = 0;
        for (int i = 0; i < signature.Length; i++)
        {
            if (signature[i] != ' ')
                value |= (ulong)signature[i] << (i * 8);
        }
        return value;
    }

    private static string DecodeModelSignature(ulong value)
    {
        var chars = new char[8];
        for (int i = 0; i < 8; i++)
        {
            char c = (char)((value >> (i * 8)) & 0xFF);
            chars[i] = c == '\0' ? ' ' : char.IsControl(c) ? '?' : c;
        }
        return new string(chars);
    }

    private static void CheckIsLoadContext(InternalMembers m, object ctx)
    {
        if (ctx is null || !m.LoadContextType.IsInstanceOfType(ctx))
            throw new ArgumentException($"Expected the ModelLoadContext that ML.NET passes to Create, got '{ctx?.GetType().FullName ?? "null"}'.", nameof(ctx));
    }

    private static object? Call(MethodInfo method, object target, params object?[] args)
        => method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);

    /// <summary>Every internal ML.NET member used above, looked up in one pass that records each one missing.</summary>
    private sealed class InternalMembers
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        private readonly List<string> _missing = [];
        private readonly Assembly _mlnetCore;

        private InternalMembers(Assembly mlnetCore) => _mlnetCore = mlnetCore;

        public IReadOnlyList<string> Missing => _missing;

        public ConstructorInfo VersionInfoCtor { get; private set; } = null!;
        public MethodInfo SaveCheckAtModel { get; private set; } = null!;
        public MethodInfo SetVersionInfo { get; private set; } = null!;
        public FieldInfo SaveWriter { get; private set; } = null!;
        public MethodInfo SaveBinaryStream { get; private set; } = null!;
        public MethodInfo SaveModel { get; private set; } = null!;
        public Type LoadContextType { get; private set; } = null!;
        public FieldInfo LoadReader { get; private set; } = null!;
        public FieldInfo LoadHeader { get; private set; } = null!;
        public FieldInfo LoadDirectory { get; private set; } = null!;
        public FieldInfo HeaderCbModel { get; private set; } = null!;
        public FieldInfo HeaderModelSignature { get; private set; } = null!;
        public FieldInfo HeaderModelVerWritten { get; private set; } = null!;
        public FieldInfo HeaderModelVerReadable { get; private set; } = null!;
        public MethodInfo LoadCheckAtModel { get; private set; } = null!;
        public MethodInfo TryLoadBinaryStream { get; private set; } = null!;
        public MethodInfo LoadModel { get; private set; } = null!;
        public ConstructorInfo LoadableClassCtor { get; private set; } = null!;
        public Type SignatureLoadModel { get; private set; } = null!;

        public static InternalMembers Resolve(Assembly mlnetCore, bool throwIfMissing)
        {
            var m = new InternalMembers(mlnetCore);
            var save = m.FindType("Microsoft.ML.ModelSaveContext");
            var versionInfo = m.FindType("Microsoft.ML.VersionInfo");
            var load = m.FindType("Microsoft.ML.ModelLoadContext");
            var header = m.FindType("Microsoft.ML.ModelHeader");
            var loadableClass = m.FindType($"{LoaderAssemblyImage.LoadableClassAttributeNamespace}.{LoaderAssemblyImage.LoadableClassAttributeName}");

            m.VersionInfoCtor = m.FindCtor(versionInfo, typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string))!;
            m.SaveCheckAtModel = m.FindMethod(save, "CheckAtModel", 0)!;
            m.SetVersionInfo = m.FindMethod(save, "SetVersionInfo", 0, versionInfo)!;
            m.SaveWriter = m.FindField(save, "Writer", typeof(BinaryWriter))!;
            m.SaveBinaryStream = m.FindMethod(save, "SaveBinaryStream", 0, typeof(string), typeof(Action<BinaryWriter>))!;
            m.SaveModel = m.FindMethod(save, "SaveModel", 1, null, typeof(string))!;
            m.LoadContextType = load!;
            m.LoadReader = m.FindField(load, "Reader", typeof(BinaryReader))!;
            m.LoadHeader = m.FindField(load, "Header", header)!;
            m.LoadDirectory = m.FindField(load, "Directory", typeof(string))!;
            m.HeaderCbModel = m.FindField(header, "CbModel", typeof(long))!;
            m.HeaderModelSignature = m.FindField(header, "ModelSignature", typeof(ulong))!;
            m.HeaderModelVerWritten = m.FindField(header, "ModelVerWritten", typeof(uint))!;
            m.HeaderModelVerReadable = m.FindField(header, "ModelVerReadable", typeof(uint))!;
            m.LoadCheckAtModel = m.FindMethod(load, "CheckAtModel", 0, versionInfo)!;
            m.TryLoadBinaryStream = m.FindMethod(load, "TryLoadBinaryStream", 0, typeof(string), typeof(Action<BinaryReader>))!;
            m.LoadModel = m.FindMethod(load, "LoadModel", 2, typeof(IHostEnvironment), null, typeof(string), typeof(object[]))!;
            m.LoadableClassCtor = m.FindCtor(loadableClass, typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[]))!;
            m.SignatureLoadModel = m.FindType(LoaderAssemblyImage.SignatureLoadModelFullName)!;
            if (mlnetCore.GetName().Name != LoaderAssemblyImage.MLNetCoreName)
                m._missing.Add($"assembly {LoaderAssemblyImage.MLNetCoreName} (got {mlnetCore.GetName().Name})");

            if (throwIfMissing && m._missing.Count > 0)
                throw new InvalidOperationException(
                    $"Microsoft.ML.AutoAssist cannot save or load models with the ML.NET loaded in this process " +
                    $"({mlnetCore.GetName().Name} {mlnetCore.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown version"}): " +
                    $"it uses these internal ML.NET members, which were not found: {string.Join("; ", m._missing)}. " +
                    $"Supported ML.NET versions: {SupportedMLNetVersions}.");
            return m;
        }

        private Type? FindType(string fullName)
        {
            var type = _mlnetCore.GetType(fullName, throwOnError: false);
            if (type is null)
                _missing.Add($"type {fullName}");
            return type;
        }

        private FieldInfo? FindField(Type? owner, string name, Type? fieldType)
        {
            if (owner is null || fieldType is null)
                return null;
            var field = owner.GetField(name, Instance);
            if (field is null || field.FieldType != fieldType)
            {
                _missing.Add($"field {owner.Name}.{name} ({fieldType.Name})");
                return null;
            }
            return field;
        }

        private ConstructorInfo? FindCtor(Type? owner, params Type[] parameters)
        {
            if (owner is null)
                return null;
            var ctor = owner.GetConstructor(Instance, binder: null, parameters, modifiers: null);
            if (ctor is null)
                _missing.Add($"constructor {owner.Name}({string.Join(", ", parameters.Select(p => p.Name))})");
            return ctor;
        }

        // In a generic method a null parameter type stands for a generic parameter (or a by-ref to one);
        // in a non-generic one it is a type already reported missing, so the method is not looked up.
        private MethodInfo? FindMethod(Type? owner, string name, int genericArity, params Type?[] parameters)
        {
            if (owner is null || parameters.Any(p => p is null) && genericArity == 0)
                return null;
            var method = owner.GetMethods(Instance).SingleOrDefault(candidate =>
                candidate.Name == name
                && (candidate.IsGenericMethodDefinition ? candidate.GetGenericArguments().Length : 0) == genericArity
                && candidate.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters, ParameterMatch.Instance));
            if (method is null)
                _missing.Add($"method {owner.Name}.{name}{(genericArity > 0 ? $"<{new string(',', genericArity - 1)}>" : "")}" +
                    $"({string.Join(", ", parameters.Select(p => p?.Name ?? "T"))})");
            return method;
        }

        private sealed class ParameterMatch : IEqualityComparer<Type?>
        {
            public static readonly ParameterMatch Instance = new();

            public bool Equals(Type? actual, Type? expected)
                => expected is null ? actual!.IsGenericParameter || actual.IsByRef && actual.GetElementType()!.IsGenericParameter : actual == expected;

            public int GetHashCode(Type? type) => 0;
        }
    }
}
