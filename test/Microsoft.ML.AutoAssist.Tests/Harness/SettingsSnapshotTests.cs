using System.Reflection;
using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>Effective settings are every public member, found by reflection, with the run's plumbing left out.</summary>
public class SettingsSnapshotTests
{
    [Fact]
    public void EveryPublicFieldOfTheFilterOptionsIsRecorded()
    {
        var options = new AutoAssistFilterOptions { Selection = new AutoAssistOptions { BaseKeepProbability = 0.3f }, Seed = 4 };
        var settings = SettingsSnapshot.Capture(options, nameof(AutoAssistFilterOptions.Seed));
        var expected = typeof(AutoAssistFilterOptions).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name)
            .Concat(typeof(AutoAssistFilterOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name))
            .Where(n => n != nameof(AutoAssistFilterOptions.Seed))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, settings.Select(p => p.Key));
        var selection = settings["Selection"]!.AsObject();   // the method's own options, recorded field by field
        Assert.Equal(0.3, selection["BaseKeepProbability"]!.GetValue<double>());   // a float is recorded by its shortest text
        Assert.Equal("AutoAssist", selection["Name"]!.GetValue<string>());
    }

    [Fact]
    public void TrainerPlumbingIsLeftOutAndSettingsAreKept()
    {
        var options = new ImageClassificationTrainerOptions
        {
            MaxSteps = 2345,
            ValidationSet = new MLContext(0).Data.LoadFromEnumerable(new[] { new { X = 1f } }),
            Progress = new Progress<TrainingProgress>(),
            StepDecayMilestones = [0.3, 0.6],
        };
        var settings = SettingsSnapshot.Capture(options);
        Assert.False(settings.ContainsKey(nameof(BossTrainerOptions.ValidationSet)));
        Assert.False(settings.ContainsKey(nameof(BossTrainerOptions.Progress)));
        Assert.False(settings.ContainsKey(nameof(BossTrainerOptions.CancellationToken)));
        Assert.Equal(2345, settings["MaxSteps"]!.GetValue<decimal>());
        Assert.Equal([0.3, 0.6], settings["StepDecayMilestones"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Null(settings["CheckpointFolder"]);
        Assert.True(settings.ContainsKey("CheckpointFolder"));
        Assert.Equal("ResNet20", settings["Architecture"]!.GetValue<string>());
    }

    [Fact]
    public void TheHashIsStableAndFollowsEveryValue()
    {
        var a = new JsonObject { ["trainer"] = SettingsSnapshot.Capture(new ImageClassificationTrainerOptions()) };
        var b = new JsonObject { ["trainer"] = SettingsSnapshot.Capture(new ImageClassificationTrainerOptions()) };
        var c = new JsonObject { ["trainer"] = SettingsSnapshot.Capture(new ImageClassificationTrainerOptions { WarmupFraction = 0.05 }) };
        Assert.Equal(SettingsSnapshot.Hash(a), SettingsSnapshot.Hash(b));
        Assert.NotEqual(SettingsSnapshot.Hash(a), SettingsSnapshot.Hash(c));
        Assert.Equal(16, SettingsSnapshot.Hash(a).Length);

        // Key order does not matter.
        var x = new JsonObject { ["a"] = 1, ["b"] = 2 };
        var y = new JsonObject { ["b"] = 2, ["a"] = 1 };
        Assert.Equal(SettingsSnapshot.Hash(x), SettingsSnapshot.Hash(y));
    }
}
