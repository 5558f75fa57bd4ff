using AutoAssist.OptionsDoc;
using Microsoft.ML.AutoAssist;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Docs;

/// <summary>docs/options.md is generated from the options classes; it must be what the generator writes today.</summary>
public class OptionsDocumentTests
{
    [Fact]
    public void OptionsPageMatchesTheCode()
    {
        string generated = OptionsDocument.Generate(typeof(AutoAssistFilterOptions).Assembly, typeof(ImageClassificationTrainerOptions).Assembly);
        string committed = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "options.md"));
        Assert.True(committed == generated, $"docs/options.md differs from the options classes and their XML docs. Regenerate it: {OptionsDocument.RegenerateCommand}");
    }

    [Fact]
    public void OptionsPageListsEveryOptionWithItsDefault()
    {
        string page = OptionsDocument.Generate(typeof(AutoAssistFilterOptions).Assembly, typeof(ImageClassificationTrainerOptions).Assembly);
        Assert.Contains("| `BaseKeepProbability` |", page);
        Assert.Contains("| `Architecture` | `ResNetArchitecture` | `ResNet20` |", page);
        Assert.Contains("| `StepDecayMilestones` | `double[]` | `[0.5, 0.75]` |", page);   // inherited from BossTrainerOptions
        Assert.Contains("### ResNetArchitecture", page);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoAssist.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No AutoAssist.sln above {AppContext.BaseDirectory}.");
    }
}
