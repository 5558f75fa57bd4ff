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
        var folder = Directory.CreateTempSubdirectory("translation-harness").FullName;
        try
        {
            File.Copy(CorpusTestData.SamplePath, Path.Combine(folder, "train.tsv"));
            File.Copy(CorpusTestData.SamplePath, Path.Combine(folder, "dev.tsv"));
            File.Copy(CorpusTestData.SamplePath, Path.Combine(folder, "test.tsv"));
            var options = HarnessOptions.Parse(
            [
                "--task", "translation", "--dataset", "en-de", "--data-dir", folder, "--epochs", "1", "--train-rows", "48", "--test-rows", "8",
                "--eval-interval", "100", "--methods", "uniform",
                "--set", $"trainer.TokenizerModelPath={WordSequences.TokenizerPath}", "--set", "trainer.ModelDimension=32",
                "--set", "trainer.AttentionHeads=2", "--set", "trainer.FeedForwardDimension=64", "--set", "trainer.EncoderLayers=1",
                "--set", "trainer.DecoderLayers=1", "--set", "trainer.MaxTranslationLength=8", "--set", "trainer.BatchSize=16",
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
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
