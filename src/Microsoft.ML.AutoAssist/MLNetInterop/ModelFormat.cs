namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Identifies the on-disk format of one persisted component: what ML.NET writes into the header of
/// the component's stream inside a model zip, and what loading checks before reading the body.
/// </summary>
/// <remarks>
/// Bump <see cref="Version"/> whenever the body layout changes, and raise
/// <see cref="OldestReadableVersion"/> only when this code can no longer read an older layout.
/// </remarks>
internal sealed record ModelFormat
{
    /// <summary>Creates a format and checks the limits ML.NET's model header imposes.</summary>
    /// <param name="modelSignature">Exactly eight Latin-1 characters naming the body layout, e.g. "AAFILTER".</param>
    /// <param name="version">The layout version this code writes, e.g. 0x00010001.</param>
    /// <param name="loaderSignature">The name ML.NET looks up to find the loader: 1 to 24 Latin-1 characters,
    /// unique among all loadable classes in the process (case-insensitive).</param>
    /// <param name="oldestReadableVersion">The oldest layout version this code still reads; 0 means <paramref name="version"/>.</param>
    public ModelFormat(string modelSignature, uint version, string loaderSignature, uint oldestReadableVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(modelSignature);
        ArgumentNullException.ThrowIfNull(loaderSignature);
        if (modelSignature.Length != 8 || !IsLatin1(modelSignature))
            throw new ArgumentException($"The model signature must be exactly 8 Latin-1 characters; '{modelSignature}' is not.", nameof(modelSignature));
        CheckLoaderSignature(loaderSignature, nameof(loaderSignature));
        if (version == 0)
            throw new ArgumentOutOfRangeException(nameof(version), "The format version must be greater than zero.");
        if (oldestReadableVersion > version)
            throw new ArgumentOutOfRangeException(nameof(oldestReadableVersion),
                $"The oldest readable version 0x{oldestReadableVersion:X8} is newer than the written version 0x{version:X8}.");

        ModelSignature = modelSignature;
        Version = version;
        LoaderSignature = loaderSignature;
        OldestReadableVersion = oldestReadableVersion == 0 ? version : oldestReadableVersion;
    }

    /// <summary>The longest loader signature ML.NET's model header can hold.</summary>
    public const int MaxLoaderSignatureLength = 24;

    /// <summary>Eight Latin-1 characters naming the body layout.</summary>
    public string ModelSignature { get; }

    /// <summary>The layout version this code writes; a reader needs at least this version.</summary>
    public uint Version { get; }

    /// <summary>The name under which ML.NET's component catalog finds the loader.</summary>
    public string LoaderSignature { get; }

    /// <summary>The oldest layout version this code can still read.</summary>
    public uint OldestReadableVersion { get; }

    /// <summary>Throws unless <paramref name="loaderSignature"/> fits ML.NET's model header.</summary>
    internal static void CheckLoaderSignature(string loaderSignature, string where)
    {
        if (loaderSignature.Length is 0 or > MaxLoaderSignatureLength || !IsLatin1(loaderSignature) || loaderSignature.Any(char.IsWhiteSpace))
            throw new ArgumentException(
                $"The loader signature must be 1 to {MaxLoaderSignatureLength} Latin-1 characters without white space; " +
                $"'{loaderSignature}' ({where}) is not.");
    }

    private static bool IsLatin1(string text) => text.All(c => c <= '\u00FF');
}
