using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Store;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

/// <summary>
/// Stored settings from an older option layout compare under this code's layouts: a run recorded
/// before AutoAssist gained its layout-2 settings counts beside new runs that train the same way,
/// and not beside runs that train differently.
/// </summary>
public class SettingsLayoutTests
{
    // AutoAssist as layout 1 trained it: the layout-2 settings at the values layout 1 loads them with.
    private static AutoAssistOptions AsLayout1Trained(float baseKeep = 0.3f) => new()
    {
        BaseKeepProbability = baseKeep,
        KeepRule = AutoAssistKeepRule.Proportional,
        StalenessDiscount = 0,
        MinClassKeepShare = 0,
        MinAssistantAuc = 0,
        ShrinkRampEpochs = 0,
        NormalizeWeightsPerBatch = false,
    };

    private static readonly string[] Layout2Settings =
    [
        nameof(AutoAssistOptions.KeepRule), nameof(AutoAssistOptions.StalenessDiscount), nameof(AutoAssistOptions.MinClassKeepShare),
        nameof(AutoAssistOptions.MinAssistantAuc), nameof(AutoAssistOptions.ShrinkRampEpochs), nameof(AutoAssistOptions.NormalizeWeightsPerBatch),
    ];

    private static JsonObject Settings(JsonObject selection) => new()
    {
        ["data"] = new JsonObject { ["training_rows"] = MadeUpFrontier.Rows },
        ["filter"] = new JsonObject { ["FeatureColumnName"] = "Pixels", ["Selection"] = selection },
        ["trainer"] = new JsonObject { ["Epochs"] = 10 },
    };

    // What a run stores for these options: the snapshot of the current code.
    private static StoredRun Current(SelectionMethodOptions options, int seed)
    {
        var settings = Settings(SettingsSnapshot.Capture(options));
        return MadeUpFrontier.Run("autoassist", 0.5, seed, (50, 50, 0.8)) with { Settings = settings, SettingsHash = SettingsSnapshot.Hash(settings) };
    }

    // What a layout-1 run stored: no layout-2 settings, and layout 1 named.
    private static StoredRun Layout1(float baseKeep, int seed)
    {
        var selection = SettingsSnapshot.Capture(AsLayout1Trained(baseKeep));
        foreach (string name in Layout2Settings)
            Assert.True(selection.Remove(name), name);
        selection["OptionsVersion"] = 1;
        return Current(AsLayout1Trained(baseKeep), seed) with { Settings = Settings(selection), SettingsHash = "layout1-" + baseKeep };
    }

    [Fact]
    public void ALayout1RunMatchesANewRunThatTrainsTheSameWay()
    {
        var old = Layout1(0.3f, seed: 1);
        var upgraded = SettingsLayout.ToCurrentLayout(old.Settings)!;
        Assert.Equal("2", upgraded["filter"]!["Selection"]!["OptionsVersion"]!.ToJsonString());
        Assert.Equal(Current(AsLayout1Trained(), seed: 2).Key.SettingsHash, old.Key.SettingsHash);
        Assert.Equal("layout1-0.3", old.SettingsHash);   // the stored record is left as it was
    }

    [Fact]
    public void RunsThatTrainDifferentlyStayApart()
    {
        Assert.NotEqual(Current(AsLayout1Trained(), 2).Key.SettingsHash, Layout1(0.5f, 1).Key.SettingsHash);

        var discounted = AsLayout1Trained();
        discounted.StalenessDiscount = 0.5f;
        Assert.NotEqual(Current(discounted, 2).Key.SettingsHash, Layout1(0.3f, 1).Key.SettingsHash);
    }

    [Fact]
    public void AReportKeepsEverySeedOfOneBehaviourAcrossLayouts()
    {
        var uniform = MadeUpFrontier.Run("uniform", 1.0, 1, (100, 100, 0.9));
        var seed1 = Layout1(0.3f, seed: 1);
        var seed2 = Layout1(0.3f, seed: 2);
        var seed3 = Current(AsLayout1Trained(), seed: 3);
        Assert.Equal([uniform, seed1, seed2, seed3], StoreSelection.Select([uniform, seed1, seed2, seed3]));

        var store = ResultStoreFor(seed1);
        Assert.True(store.Contains(seed3.Key with { Seed = 1, CodeCommit = "newer" }, anyCommit: true));
    }

    [Fact]
    public void SettingsThisCodeCannotReadStayAsStored()
    {
        var unknownMethod = Layout1(0.3f, 1);
        unknownMethod.Settings["filter"]!["Selection"]!["Name"] = "NoSuchMethod";
        Assert.Null(SettingsLayout.ToCurrentLayout(unknownMethod.Settings));
        Assert.Equal(unknownMethod.SettingsHash, unknownMethod.Key.SettingsHash);

        var removedSetting = Layout1(0.3f, 1);
        removedSetting.Settings["filter"]!["Selection"]!["SettingSinceRemoved"] = 2;
        Assert.Null(SettingsLayout.ToCurrentLayout(removedSetting.Settings));

        var current = Current(AsLayout1Trained(), 1);
        Assert.Null(SettingsLayout.ToCurrentLayout(current.Settings));
        Assert.Null(SettingsLayout.ToCurrentLayout(new JsonObject { ["filter"] = new JsonObject() }));
    }

    private static ResultStore ResultStoreFor(StoredRun run)
    {
        string path = Path.Combine(Path.GetTempPath(), $"layout-store-{Guid.NewGuid():N}.jsonl");
        try
        {
            ResultStore.Open(path).Append(run);
            return ResultStore.Open(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
