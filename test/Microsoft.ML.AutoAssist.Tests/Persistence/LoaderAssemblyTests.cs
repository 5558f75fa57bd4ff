using System.Reflection;
using System.Runtime.Loader;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Persistence.PersistenceTestData;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>The loader assemblies: the file the build writes and the one the library generates in memory.</summary>
public class LoaderAssemblyTests
{
    private static readonly Assembly Declaring = typeof(ShiftTransformer).Assembly;

    [Fact]
    public void LoaderIsNamedAfterTheDeclaringAssemblyAndRegistersEachClass()
    {
        var loader = MLNetModelPersistence.GetLoaderAssembly(Declaring);
        Assert.Equal(Declaring.GetName().Name + ".ModelLoaders", loader.GetName().Name);

        var registered = loader.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "Microsoft.ML.LoadableClassAttribute")
            .ToDictionary(
                a => (string)((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[5].Value!).Single().Value!,
                a => (Type)a.ConstructorArguments[0].Value!);
        Assert.Equal(typeof(ShiftTransformer), registered[ShiftTransformer.LoaderSignature]);
        Assert.Equal(typeof(WrappingTransformer), registered[WrappingTransformer.LoaderSignature]);
        Assert.Contains(loader.GetCustomAttributesData(), a => a.AttributeType.Name == "IgnoresAccessChecksToAttribute");
    }

    [Fact]
    public void TheBuildWritesTheSameBytesTheLibraryGenerates()
    {
        string built = Path.Combine(AppContext.BaseDirectory, Declaring.GetName().Name + ".ModelLoaders.dll");
        Assert.True(File.Exists(built), $"the build did not write {built} (build/ModelLoaders.targets)");
        Assert.Equal(MLNetModelPersistence.EmitLoaderAssembly(Declaring), File.ReadAllBytes(built));
    }

    [Fact]
    public void InMemoryLoaderServesModelLoadWhereNoFileIsFound()
    {
        // In this process the build's file is found first; load the in-memory image on the side and hand it to a
        // fresh catalog, which then skips the file of the same name. ML.NET itself checks each Create here.
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var model = MakeChain(ml, data);
        using var saved = new MemoryStream();
        ml.Model.Save(model, data.Schema, saved);

        var inMemory = new AssemblyLoadContext("in-memory model loader").LoadFromStream(
            new MemoryStream(MLNetModelPersistence.EmitLoaderAssembly(Declaring)));
        var fresh = new MLContext(seed: 2);
        fresh.ComponentCatalog.RegisterAssembly(inMemory);
        saved.Position = 0;
        var loaded = fresh.Model.Load(saved, out _);

        Assert.Equal(FreshProcessProgram.Describe(Score(ml, model, data)), FreshProcessProgram.Describe(Score(fresh, loaded, MakeData(fresh))));
    }

    [Fact]
    public void ALoadableClassWithoutCreateIsRejected()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => MLNetModelPersistence.CheckCreateMethod(typeof(LoaderAssemblyTests), "AutoAssistTestNoCreate"));
        Assert.Contains("static LoaderAssemblyTests Create(IHostEnvironment env, object ctx)", error.Message);

        MLNetModelPersistence.CheckCreateMethod(typeof(ShiftTransformer), ShiftTransformer.LoaderSignature); // accepted
    }
}
