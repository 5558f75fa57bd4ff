namespace Microsoft.ML.AutoAssist.CorpusBuilder.Sources;

/// <summary>File enumeration in a stable order, so the corpus is the same on every machine.</summary>
internal static class SourceFiles
{
    /// <summary>Files matching <paramref name="pattern"/> in <paramref name="directory"/> (if it exists), sorted ordinally by path.</summary>
    public static IReadOnlyList<string> Sorted(string directory, string pattern, bool recursive = false)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var files = Directory.EnumerateFiles(directory, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Relative path with forward slashes, for the document column.</summary>
    public static string Relative(string directory, string path) => Path.GetRelativePath(directory, path).Replace('\\', '/');
}
