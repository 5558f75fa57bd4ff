using Microsoft.ML.AutoAssist.CorpusBuilder;

// Builds the en-<lang> parallel corpus from unpacked Debian packages; see build/build-corpus.sh.
CorpusBuilderOptions options;
try
{
    options = CorpusBuilderOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"CorpusBuilder: {e.Message}");
    Console.Error.WriteLine(CorpusBuilderOptions.Usage);
    return 2;
}
if (!Directory.Exists(Path.Combine(options.Root, "usr")))
{
    Console.Error.WriteLine($"CorpusBuilder: '{options.Root}' holds no usr/ folder; unpack the packages there first (build/build-corpus.sh does).");
    return 1;
}

var statistics = CorpusBuild.Run(options, Console.Out);
Console.WriteLine();
Console.WriteLine(statistics.ToTable());
Console.WriteLine($"dev/test sources: {string.Join(", ", statistics.EvaluationSources)}");
Console.WriteLine($"written to {Path.GetFullPath(options.Output)}");
return 0;
