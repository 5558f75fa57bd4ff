using Microsoft.ML.AutoAssist;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

// Usage: ModelLoaderGenerator <declaring assembly> <loader assembly to write>
// Reads the declaring assembly's metadata (nothing is loaded or run), finds classes marked
// [Microsoft.ML.AutoAssist.ModelLoader("signature")], and writes their loader assembly.
// Writes nothing (and removes a stale file) when the assembly declares none.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ModelLoaderGenerator <declaring assembly> <loader assembly to write>");
    return 2;
}

string declaringPath = args[0], loaderPath = args[1];
using var pe = new PEReader(File.OpenRead(declaringPath));
var metadata = pe.GetMetadataReader();
var declaringName = metadata.GetAssemblyDefinition().GetAssemblyName();

var loadables = new List<LoaderAssemblyImage.Loadable>();
foreach (var handle in metadata.TypeDefinitions)
{
    var type = metadata.GetTypeDefinition(handle);
    foreach (var attributeHandle in type.GetCustomAttributes())
    {
        var attribute = metadata.GetCustomAttribute(attributeHandle);
        if (AttributeTypeName(metadata, attribute) != "Microsoft.ML.AutoAssist.ModelLoaderAttribute")
            continue;
        var value = metadata.GetBlobReader(attribute.Value);
        if (value.ReadUInt16() != 1 || value.ReadSerializedString() is not { Length: > 0 } loaderSignature)
            return Fail($"unreadable [ModelLoader] on {FullName(metadata, handle)}");
        loadables.Add(new(FullName(metadata, handle) + ", " + declaringName.FullName, metadata.GetString(type.Name), loaderSignature));
    }
}

if (loadables.Count == 0)
{
    File.Delete(loaderPath);
    return 0;
}

AssemblyName Reference(string name)
{
    foreach (var reference in metadata.AssemblyReferences)
    {
        var referenced = metadata.GetAssemblyReference(reference).GetAssemblyName();
        if (referenced.Name == name)
            return referenced;
    }
    throw new InvalidOperationException($"{declaringName.Name} declares loadable classes but does not reference {name}.");
}

var image = LoaderAssemblyImage.Write(LoaderAssemblyImage.LoaderNameFor(declaringName), Reference("System.Runtime"),
    Reference(LoaderAssemblyImage.MLNetCoreName), loadables);
// Leave an identical file untouched so incremental builds stay incremental.
if (!File.Exists(loaderPath) || !File.ReadAllBytes(loaderPath).AsSpan().SequenceEqual(image))
    File.WriteAllBytes(loaderPath, image);
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine($"ModelLoaderGenerator: error: {message}");
    return 1;
}

static string AttributeTypeName(MetadataReader metadata, CustomAttribute attribute)
{
    EntityHandle type = attribute.Constructor.Kind switch
    {
        HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
        HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
        _ => default,
    };
    return type.Kind switch
    {
        HandleKind.TypeReference => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Namespace) + "." +
            metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)type).Name),
        HandleKind.TypeDefinition => FullName(metadata, (TypeDefinitionHandle)type),
        _ => "",
    };
}

// Namespace.Outer+Inner, the form Type.FullName and assembly-qualified names use.
static string FullName(MetadataReader metadata, TypeDefinitionHandle handle)
{
    var type = metadata.GetTypeDefinition(handle);
    string name = metadata.GetString(type.Name);
    var declaring = type.GetDeclaringType();
    if (!declaring.IsNil)
        return FullName(metadata, declaring) + "+" + name;
    string ns = metadata.GetString(type.Namespace);
    return ns.Length == 0 ? name : ns + "." + name;
}
