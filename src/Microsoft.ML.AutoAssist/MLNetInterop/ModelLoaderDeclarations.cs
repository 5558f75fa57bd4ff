using System.Collections.Concurrent;
using System.Reflection;

namespace Microsoft.ML.AutoAssist;

/// <summary>Finds and checks the <see cref="ModelLoaderAttribute"/> classes of an assembly, once per assembly.</summary>
internal static class ModelLoaderDeclarations
{
    private static readonly ConcurrentDictionary<Assembly, Lazy<IReadOnlyList<(Type Type, string LoaderSignature)>>> Cache = new();

    /// <summary>The loadable classes declared in <paramref name="assembly"/>, with their loader signatures.</summary>
    public static IReadOnlyList<(Type Type, string LoaderSignature)> Find(Assembly assembly)
        => Cache.GetOrAdd(assembly, a => new Lazy<IReadOnlyList<(Type, string)>>(() => Scan(a))).Value;

    /// <summary>Throws unless <paramref name="type"/> is declared loadable under <paramref name="loaderSignature"/>.</summary>
    public static void CheckDeclared(Type type, string loaderSignature)
    {
        var declared = type.GetCustomAttribute<ModelLoaderAttribute>(inherit: false);
        if (declared is null)
            throw new InvalidOperationException(
                $"'{type.FullName}' saves itself with loader signature '{loaderSignature}' but is not marked " +
                $"[ModelLoader(\"{loaderSignature}\")], so Model.Load could not find it again.");
        if (declared.LoaderSignature != loaderSignature)
            throw new InvalidOperationException(
                $"'{type.FullName}' saves itself with loader signature '{loaderSignature}' but is marked " +
                $"[ModelLoader(\"{declared.LoaderSignature}\")]; the two must be the same.");
    }

    private static IReadOnlyList<(Type, string)> Scan(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            types = partial.Types;
        }

        var found = new List<(Type, string)>();
        var bySignature = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase); // ML.NET's catalog ignores case
        foreach (var type in types)
        {
            var declared = type?.GetCustomAttribute<ModelLoaderAttribute>(inherit: false);
            if (type is null || declared is null)
                continue;
            ModelFormat.CheckLoaderSignature(declared.LoaderSignature, $"[ModelLoader] on '{type.FullName}'");
            if (bySignature.TryGetValue(declared.LoaderSignature, out var other))
                throw new InvalidOperationException(
                    $"'{type.FullName}' and '{other.FullName}' both declare loader signature '{declared.LoaderSignature}'; each needs its own.");
            bySignature.Add(declared.LoaderSignature, type);
            found.Add((type, declared.LoaderSignature));
        }
        return found;
    }
}
