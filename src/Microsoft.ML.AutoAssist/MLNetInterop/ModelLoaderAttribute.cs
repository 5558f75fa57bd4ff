namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Marks a class that <c>mlContext.Model.Load</c> can rebuild from a model file, under the given loader
/// signature. The class must declare <c>static TSelf Create(IHostEnvironment env, object ctx)</c>
/// (the second parameter receives ML.NET's internal ModelLoadContext) and save itself through
/// <see cref="ModelPersistence.Save"/> with a <see cref="ModelFormat"/> of the same loader signature.
/// </summary>
/// <remarks>
/// Works in any assembly: the persistence bridge generates one small loader assembly per declaring
/// assembly that registers every marked class with ML.NET's component catalog.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
internal sealed class ModelLoaderAttribute : Attribute
{
    /// <summary>Marks the class as loadable under <paramref name="loaderSignature"/>.</summary>
    /// <param name="loaderSignature">The same value as the class's <see cref="ModelFormat.LoaderSignature"/>.</param>
    public ModelLoaderAttribute(string loaderSignature) => LoaderSignature = loaderSignature;

    /// <summary>The name ML.NET's component catalog maps to this class.</summary>
    public string LoaderSignature { get; }
}
