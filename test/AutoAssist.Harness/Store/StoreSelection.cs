using AutoAssist.Harness.Configuration;

namespace AutoAssist.Harness.Store;

/// <summary>
/// Which stored runs a report uses. Runs from different commits are combined when their effective
/// settings are the same: for each method and budget fraction, the settings hash of the newest run
/// decides, and runs with other settings are left out (they answer a different question). Settings
/// compare under this code's option layouts, so a run from before a method gained settings counts
/// when it trained as the newest runs do (<see cref="SettingsLayout"/>). Where a
/// seed ran more than once with those settings, the newest run counts. The report lists the commits
/// it used, so a reader sees when a frontier spans several versions of the code.
/// </summary>
public static class StoreSelection
{
    /// <summary>The runs a report of <paramref name="runs"/> (in store order) uses, in store order.</summary>
    /// <param name="runs">Every stored run, oldest first.</param>
    /// <param name="commit">Only runs whose commit or code commit starts with this; null: every commit.</param>
    public static IReadOnlyList<StoredRun> Select(IReadOnlyList<StoredRun> runs, string? commit = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var candidates = runs
            .Select((run, index) => (Run: run, Index: index))
            .Where(x => commit is null
                || x.Run.Commit.StartsWith(commit, StringComparison.OrdinalIgnoreCase)
                || x.Run.CodeCommit.StartsWith(commit, StringComparison.OrdinalIgnoreCase))
            .ToList();

        var chosen = new List<(StoredRun Run, int Index)>();
        foreach (var cell in candidates.GroupBy(x => (Method: x.Run.Method.ToLowerInvariant(), x.Run.Fraction)))
        {
            string newestSettings = cell.Last().Run.Key.SettingsHash;
            chosen.AddRange(cell
                .Where(x => x.Run.Key.SettingsHash == newestSettings)
                .GroupBy(x => x.Run.Seed)
                .Select(seed => seed.Last()));
        }
        return chosen.OrderBy(x => x.Index).Select(x => x.Run).ToList();
    }

    /// <summary>True for the reference runs: uniform at the whole budget B.</summary>
    public static bool IsReference(StoredRun run)
        => string.Equals(run.Method, BenchmarkMethod.UniformName, StringComparison.OrdinalIgnoreCase)
           && run.Fraction == BudgetPlan.ReferenceFraction;
}
