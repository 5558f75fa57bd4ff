using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;
using Microsoft.ML.AutoAssist.Tests.Corpus;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Translation;

public class TranslationHarnessTaskTests
{
    [Fact]
    public void TheHarnessTrainsATinyTransformerOnACorpusFolderAndFollowsDevBleu()
    {
        var folder = CorpusFolder("translation-harness");
        try
        {
            var options = HarnessOptions.Parse(
            [
                "--task", "translation", "--dataset", "en-de", "--data-dir", folder, "--epochs", "1", "--train-rows", "48", "--test-rows", "8",
                "--eval-interval", "100", "--methods", "uniform",
                .. TinyTransformer,
            ]);
            var task = new TranslationTask(options);
            Assert.Equal("BLEU", task.MetricName);
            Assert.Equal(48, task.TrainingRowCount);
            Assert.Equal(8, task.TestRowCount);

            var filter = new AutoAssistFilterOptions { Selection = new UniformOptions() };
            task.ConfigureFilterColumns(filter);
            Assert.Equal("Source", filter.SourceColumnName);
            var result = task.Train(BenchmarkMethod.Parse("uniform"), filter, 1, maxSteps: null, new Progress<TrainingProgress>());
            Assert.Equal(3, result.Steps);
            var bleu = Assert.Single(result.Curve).Metric;   // dev BLEU, measured at the end of the one epoch
            Assert.InRange(bleu, 0, 1);
            Assert.Equal(bleu, result.FinalValidationMetric);
            Assert.InRange(result.FinalTestMetric!.Value, 0, 1);   // test-split BLEU of the final model

            // The final model's translations of test sentences spread over the split (8 rows: every
            // 8/6-th), each with its reference.
            var test = TranslationCorpus.ReadPairs(Path.Combine(folder, "test.tsv")).Take(8).ToList();
            Assert.Equal(TranslationTask.ExampleCount, result.Examples!.Count);
            Assert.Equal(new[] { 0, 1, 2, 4, 5, 6 }.Select(i => test[i].Source), result.Examples.Select(e => e.Source));
            Assert.Equal(new[] { 0, 1, 2, 4, 5, 6 }.Select(i => test[i].Target), result.Examples.Select(e => e.Reference));
            Assert.All(result.Examples, e => Assert.NotNull(e.Translation));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AFrontierOfTheTranslationTaskTrainsTheTransformerAndStoresDevAndTestBleu()
    {
        var folder = CorpusFolder("translation-frontier");
        try
        {
            var options = HarnessOptions.Parse(
            [
                "--task", "translation", "--dataset", "en-de", "--data-dir", folder, "--epochs", "1", "--batch-size", "16",
                "--train-rows", "48", "--test-rows", "8", "--eval-interval", "2", "--methods", "uniform", "--fractions", "1.0",
                "--seeds", "1", "--warmup-steps", "0", "--store", Path.Combine(folder, "store.jsonl"), "--out", Path.Combine(folder, "out"),
                .. TinyTransformer,
            ]);

            FrontierSession.Run(options, TextWriter.Null, () => HarnessSession.CreateTask(options), new SourceVersion("test", "test", Dirty: false));

            var run = Assert.Single(global::AutoAssist.Harness.Store.ResultStore.Open(options.ResolvedStorePath).Runs);
            Assert.Equal(3, run.Steps);   // B = 1 epoch x ceil(48 / 16)
            Assert.Equal([2L, 3L], run.Result.Curve.Select(point => point.Step));   // the interval and the last step, not the epoch's end twice
            Assert.InRange(run.Result.FinalTestMetric!.Value, 0, 1);
            Assert.Equal(TranslationTask.ExampleCount, run.Result.Examples!.Count);   // the translations travel in the store
            Assert.Equal("transformer d32 1+1", run.Model);
            Assert.Equal("validation", run.CurveSplit);   // the curves are dev BLEU; test BLEU is the final number only
            string report = File.ReadAllText(Path.Combine(options.ResolvedOutputDirectory, "frontier.md"));
            Assert.Contains("(transformer d32 1+1)", report);
            Assert.Contains("Curves measured on the validation split", report);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TrainRowsDrawsAFixedSeedSampleInFileOrderNotTheFirstRows()
    {
        var pairs = Enumerable.Range(0, 1000).ToArray();
        var sample = TranslationTask.Sample(pairs, 100, TranslationTask.TrainingSampleSeed);
        Assert.Equal(100, sample.Count);
        Assert.Equal(100, sample.Distinct().Count());
        Assert.Equal(sample.Order(), sample);                       // file order kept
        Assert.True(sample[^1] > 500);                              // not the first rows
        Assert.Equal(sample, TranslationTask.Sample(pairs, 100, TranslationTask.TrainingSampleSeed));
        Assert.Same(pairs, TranslationTask.Sample(pairs, 1000, 1)); // asking for all keeps all
    }

    // A tiny Transformer: the tests check the harness's plumbing, not translation quality.
    private static readonly string[] TinyTransformer =
    [
        "--set", $"trainer.TokenizerModelPath={WordSequences.TokenizerPath}", "--set", "trainer.ModelDimension=32",
        "--set", "trainer.AttentionHeads=2", "--set", "trainer.FeedForwardDimension=64", "--set", "trainer.EncoderLayers=1",
        "--set", "trainer.DecoderLayers=1", "--set", "trainer.MaxTranslationLength=8", "--set", "trainer.BatchSize=16",
    ];

    /// <summary>A temporary corpus folder whose train, dev and test splits are the sample corpus.</summary>
    private static string CorpusFolder(string name)
    {
        var folder = Directory.CreateTempSubdirectory(name).FullName;
        foreach (var split in new[] { "train.tsv", "dev.tsv", "test.tsv" })
            File.Copy(CorpusTestData.SamplePath, Path.Combine(folder, split));
        return folder;
    }
}
