namespace Microsoft.ML.AutoAssist.Tests.Corpus;

/// <summary>The committed corpus sample and scratch files for the corpus tests.</summary>
internal static class CorpusTestData
{
    /// <summary>
    /// 317 pairs cut from the en-de corpus: all five sources, documentation pairs of all three
    /// sets, UI pairs whose English hashes into dev/test, and English sentences with several
    /// translations from different sources.
    /// </summary>
    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "TestData", "translation", "sample.tsv");

    public const int SampleRowCount = 317;

    /// <summary>The committed test set datasets/translation-en-de/test.tsv, found from the test output folder upwards.</summary>
    public static string CommittedTestSetPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AutoAssist.sln")))
                {
                    return Path.Combine(dir.FullName, "datasets", "translation-en-de", "test.tsv");
                }
            }
            throw new DirectoryNotFoundException($"No AutoAssist.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>A new, empty folder under the system temp folder.</summary>
    public static string NewScratchDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "autoassist-corpus-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
