using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AutoAssist.Harness.Running;

namespace AutoAssist.Harness.Store;

/// <summary>
/// What identifies a run in the store: the code (its commit, and whether the tree was dirty), the
/// method, its effective settings (by hash), the budget, and the seed.
/// </summary>
public sealed record RunKey(string CodeCommit, bool Dirty, string Method, string SettingsHash, double Fraction, long Steps, int Seed);

/// <summary>
/// One run as kept in the results store (one JSON line): its key, its full provenance (commits,
/// command, date, machine, load), its full effective settings, and what it measured.
/// </summary>
public sealed record StoredRun
{
    /// <summary>HEAD when the run trained.</summary>
    public required string Commit { get; init; }

    /// <summary>The last commit that changed code (anything but docs/): what the run measured.</summary>
    public required string CodeCommit { get; init; }

    /// <summary>Uncommitted code changes when the run trained: the commit does not identify the code.</summary>
    public required bool Dirty { get; init; }

    /// <summary>The method's name.</summary>
    public required string Method { get; init; }

    /// <summary>Hash of <see cref="Settings"/>.</summary>
    public required string SettingsHash { get; init; }

    /// <summary>The share of the reference budget.</summary>
    public required double Fraction { get; init; }

    /// <summary>The budget in Boss optimizer steps (the trainer's MaxSteps).</summary>
    public required long Steps { get; init; }

    /// <summary>The seed of the weights, the data order and the selection.</summary>
    public required int Seed { get; init; }

    /// <summary>B: the reference budget in steps.</summary>
    public required long ReferenceSteps { get; init; }

    /// <summary>Task (image).</summary>
    public required string Task { get; init; }

    /// <summary>Data set (fashion-mnist).</summary>
    public required string Dataset { get; init; }

    /// <summary>Model (resnet8).</summary>
    public required string Model { get; init; }

    /// <summary>The metric's name (accuracy).</summary>
    public required string Metric { get; init; }

    /// <summary>The split the curve is measured on ("test" or "validation").</summary>
    public required string CurveSplit { get; init; }

    /// <summary>Steps between measurements of the curve: the fixed grid every method is compared on; null: every measurement.</summary>
    public required long? EvaluationIntervalSteps { get; init; }

    /// <summary>The harness command that trained the run.</summary>
    public required string Command { get; init; }

    /// <summary>When the run finished (ISO 8601, UTC).</summary>
    public required string Date { get; init; }

    /// <summary>The machine.</summary>
    public required MachineDescription Machine { get; init; }

    /// <summary>1, 5 and 15 minute load averages when the run started; null where unknown.</summary>
    public IReadOnlyList<double>? LoadAverageStart { get; init; }

    /// <summary>1, 5 and 15 minute load averages when the run ended; null where unknown.</summary>
    public IReadOnlyList<double>? LoadAverageEnd { get; init; }

    /// <summary>The full effective settings: "data" (rows of each split), "trainer" and "filter" (every public field and property, the seed left out: it is part of the key).</summary>
    public required JsonObject Settings { get; init; }

    /// <summary>What the run measured.</summary>
    public required RunResult Result { get; init; }

    /// <summary>
    /// The key resume and reports compare. Its settings hash is under this code's option layouts
    /// (<see cref="SettingsLayout"/>): a run stored before its method gained settings matches a new
    /// run that trains the same way.
    /// </summary>
    [JsonIgnore]
    public RunKey Key => new(CodeCommit, Dirty, Method, SettingsLayout.CurrentHash(this), Fraction, Steps, Seed);
}
