using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Writes the bytes of a loader assembly: an otherwise empty DLL whose only content is
/// <c>[assembly: IgnoresAccessChecksTo("Microsoft.ML.Core")]</c> (with the attribute class itself) and one
/// <c>[assembly: LoadableClass(T, T, null, typeof(SignatureLoadModel), userName, loaderSignature)]</c> per
/// loadable class, which is what ML.NET's ComponentCatalog.RegisterAssembly reads.
/// </summary>
/// <remarks>
/// Written from names alone with System.Reflection.Metadata, so the same code runs in the library (in-memory
/// fallback) and in the build (the file shipped beside each declaring assembly, which is what lets a fresh
/// process load a model). The build compiles this file into its generator; keep it free of other project
/// types. Output is deterministic: the same inputs give the same bytes. The ML.NET names below are checked
/// against the loaded ML.NET by <see cref="MLNetModelPersistence"/>.
/// </remarks>
internal static class LoaderAssemblyImage
{
    /// <summary>The internal ML.NET attribute ComponentCatalog.RegisterAssembly looks for.</summary>
    public const string LoadableClassAttributeNamespace = "Microsoft.ML";

    /// <summary>The internal ML.NET attribute ComponentCatalog.RegisterAssembly looks for.</summary>
    public const string LoadableClassAttributeName = "LoadableClassAttribute";

    /// <summary>The internal ML.NET delegate that names the "load from a model stream" signature.</summary>
    public const string SignatureLoadModelFullName = "Microsoft.ML.SignatureLoadModel";

    /// <summary>Appended to a declaring assembly's simple name to name its loader assembly.</summary>
    public const string Suffix = ".ModelLoaders";

    /// <summary>The simple name of the assembly whose internals the loader needs.</summary>
    public const string MLNetCoreName = "Microsoft.ML.Core";

    /// <summary>One loadable class: its assembly-qualified type name and the loader signature ML.NET maps to it.</summary>
    public readonly record struct Loadable(string AssemblyQualifiedTypeName, string UserName, string LoaderSignature);

    /// <summary>The loader assembly's identity: the declaring assembly's simple name plus <see cref="Suffix"/>, same version.</summary>
    public static AssemblyName LoaderNameFor(AssemblyName declaringAssembly)
        => new(declaringAssembly.Name + Suffix) { Version = declaringAssembly.Version ?? new Version(0, 0, 0, 0) };

    /// <summary>Writes the loader assembly image.</summary>
    /// <param name="loaderName">From <see cref="LoaderNameFor"/>.</param>
    /// <param name="systemRuntime">The System.Runtime the declaring assembly references.</param>
    /// <param name="mlnetCore">The Microsoft.ML.Core the declaring assembly references.</param>
    /// <param name="loadables">The classes to register; written in loader-signature order.</param>
    public static byte[] Write(AssemblyName loaderName, AssemblyName systemRuntime, AssemblyName mlnetCore, IEnumerable<Loadable> loadables)
    {
        var sorted = loadables.OrderBy(l => l.LoaderSignature, StringComparer.Ordinal).ToList();
        var metadata = new MetadataBuilder();
        var ilStream = new BlobBuilder();

        metadata.AddModule(0, metadata.GetOrAddString(loaderName.Name + ".dll"), metadata.GetOrAddGuid(DeterministicGuid(loaderName, mlnetCore, sorted)), default, default);
        var assembly = metadata.AddAssembly(metadata.GetOrAddString(loaderName.Name!), loaderName.Version ?? new Version(0, 0, 0, 0),
            culture: default, publicKey: default, flags: 0, AssemblyHashAlgorithm.Sha1);

        var runtimeRef = AddReference(metadata, systemRuntime);
        var mlnetRef = AddReference(metadata, mlnetCore);
        var attributeType = metadata.AddTypeReference(runtimeRef, metadata.GetOrAddString("System"), metadata.GetOrAddString("Attribute"));
        var systemType = metadata.AddTypeReference(runtimeRef, metadata.GetOrAddString("System"), metadata.GetOrAddString("Type"));
        var loadableClass = metadata.AddTypeReference(mlnetRef,
            metadata.GetOrAddString(LoadableClassAttributeNamespace), metadata.GetOrAddString(LoadableClassAttributeName));

        var attributeCtor = metadata.AddMemberReference(attributeType, metadata.GetOrAddString(".ctor"),
            MethodSignature(metadata, parameters => { }, count: 0));
        // LoadableClassAttribute(Type instType, Type loaderType, Type argType, Type sigType, string userName, params string[] loadNames)
        var loadableClassCtor = metadata.AddMemberReference(loadableClass, metadata.GetOrAddString(".ctor"),
            MethodSignature(metadata, parameters =>
            {
                for (int i = 0; i < 4; i++)
                    parameters.AddParameter().Type().Type(systemType, isValueType: false);
                parameters.AddParameter().Type().String();
                parameters.AddParameter().Type().SZArray().String();
            }, count: 6));

        // The runtime finds IgnoresAccessChecksToAttribute by name, so the loader defines its own copy:
        // sealed class IgnoresAccessChecksToAttribute : Attribute { public .ctor(string) : base() { } }
        var body = new InstructionEncoder(new BlobBuilder());
        body.OpCode(ILOpCode.Ldarg_0);
        body.Call(attributeCtor);
        body.OpCode(ILOpCode.Ret);
        int bodyOffset = new MethodBodyStreamEncoder(ilStream).AddMethodBody(body);

        metadata.AddTypeDefinition(default, default, metadata.GetOrAddString("<Module>"), default,
            MetadataTokens.FieldDefinitionHandle(1), MetadataTokens.MethodDefinitionHandle(1));
        var ignoresCtor = metadata.AddMethodDefinition(
            MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            MethodImplAttributes.IL, metadata.GetOrAddString(".ctor"),
            MethodSignature(metadata, parameters => parameters.AddParameter().Type().String(), count: 1),
            bodyOffset, MetadataTokens.ParameterHandle(1));
        metadata.AddParameter(ParameterAttributes.None, metadata.GetOrAddString("assemblyName"), 1);
        metadata.AddTypeDefinition(TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.Class | TypeAttributes.BeforeFieldInit,
            metadata.GetOrAddString("System.Runtime.CompilerServices"), metadata.GetOrAddString("IgnoresAccessChecksToAttribute"),
            attributeType, MetadataTokens.FieldDefinitionHandle(1), ignoresCtor);

        metadata.AddCustomAttribute(assembly, ignoresCtor, AttributeValue(metadata, arguments => arguments.AddArgument().Scalar().Constant(MLNetCoreName)));
        string signatureType = $"{SignatureLoadModelFullName}, {mlnetCore.FullName}";
        foreach (var loadable in sorted)
        {
            metadata.AddCustomAttribute(assembly, loadableClassCtor, AttributeValue(metadata, arguments =>
            {
                arguments.AddArgument().Scalar().SystemType(loadable.AssemblyQualifiedTypeName);
                arguments.AddArgument().Scalar().SystemType(loadable.AssemblyQualifiedTypeName);
                arguments.AddArgument().Scalar().SystemType(null);
                arguments.AddArgument().Scalar().SystemType(signatureType);
                arguments.AddArgument().Scalar().Constant(loadable.UserName);
                arguments.AddArgument().Vector().Count(1).AddLiteral().Scalar().Constant(loadable.LoaderSignature);
            }));
        }

        var image = new BlobBuilder();
        new ManagedPEBuilder(PEHeaderBuilder.CreateLibraryHeader(), new MetadataRootBuilder(metadata), ilStream,
            flags: CorFlags.ILOnly, deterministicIdProvider: content => new BlobContentId(DeterministicGuid(loaderName, mlnetCore, sorted), 0x4D4C4E54))
            .Serialize(image);
        return image.ToArray();
    }

    private static AssemblyReferenceHandle AddReference(MetadataBuilder metadata, AssemblyName name)
    {
        byte[]? token = name.GetPublicKeyToken();
        return metadata.AddAssemblyReference(metadata.GetOrAddString(name.Name!), name.Version ?? new Version(0, 0, 0, 0),
            string.IsNullOrEmpty(name.CultureName) ? default : metadata.GetOrAddString(name.CultureName),
            token is { Length: > 0 } ? metadata.GetOrAddBlob(token) : default, flags: 0, hashValue: default);
    }

    private static BlobHandle MethodSignature(MetadataBuilder metadata, Action<ParametersEncoder> parameters, int count)
    {
        var blob = new BlobBuilder();
        new BlobEncoder(blob).MethodSignature(isInstanceMethod: true).Parameters(count, returnType => returnType.Void(), parameters);
        return metadata.GetOrAddBlob(blob);
    }

    private static BlobHandle AttributeValue(MetadataBuilder metadata, Action<FixedArgumentsEncoder> arguments)
    {
        var blob = new BlobBuilder();
        new BlobEncoder(blob).CustomAttributeSignature(out var fixedArguments, out var namedArguments);
        arguments(fixedArguments);
        namedArguments.Count(0);
        return metadata.GetOrAddBlob(blob);
    }

    private static Guid DeterministicGuid(AssemblyName loaderName, AssemblyName mlnetCore, IEnumerable<Loadable> loadables)
    {
        var text = new StringBuilder(loaderName.FullName).Append('|').Append(mlnetCore.FullName);
        foreach (var loadable in loadables)
            text.Append('|').Append(loadable.AssemblyQualifiedTypeName).Append('|').Append(loadable.LoaderSignature);
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}
