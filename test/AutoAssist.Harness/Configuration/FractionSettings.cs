using System.Globalization;

namespace AutoAssist.Harness.Configuration;

/// <summary>
/// Hands a run's budget fraction to the methods that need it. A control arm such as random-subset
/// keeps a fixed share of the rows, and that share must follow the budget (half the budget: half the
/// rows). Two ways, so that the harness needs no code per method:
/// <list type="bullet">
/// <item>a placeholder in a method setting, <c>--set autoassist:x.BaseKeepProbability={fraction}</c>,
/// replaced by the run's fraction;</item>
/// <item>a built-in rule for the methods that always want it (random-subset's KeepFraction), applied
/// unless the command line sets that field itself.</item>
/// </list>
/// </summary>
public static class FractionSettings
{
    /// <summary>The text replaced by the run's budget fraction in method settings.</summary>
    public const string Placeholder = "{fraction}";

    /// <summary>
    /// Methods whose kept share is the budget fraction, by base name, and the filter field that holds
    /// it. Names match as the command line's do, ignoring case and hyphens: "random-subset" is the
    /// registered RandomSubset, whose command-line name is "randomsubset".
    /// </summary>
    public static IReadOnlyDictionary<string, string> BuiltInRules { get; } =
        new Dictionary<string, string>(HyphenInsensitive.Instance) { ["random-subset"] = "KeepFraction" };

    /// <summary>A stand-in fraction for checking settings before any run (the placeholder must parse as a number).</summary>
    public const double ValidationFraction = 0.5;

    /// <summary>
    /// The method as it runs at <paramref name="fraction"/>: the built-in rule's field (unless set)
    /// added to its preset, and every placeholder in its preset and overrides replaced.
    /// </summary>
    public static BenchmarkMethod ForFraction(BenchmarkMethod method, double fraction)
    {
        ArgumentNullException.ThrowIfNull(method);
        string text = fraction.ToString("R", CultureInfo.InvariantCulture);
        var preset = Substitute(method.Preset, text);
        if (BuiltInRules.TryGetValue(method.BaseName, out string? field)
            && !preset.ContainsKey(field) && !method.Overrides.ContainsKey(field))
        {
            preset[field] = text;
        }
        return method with { Preset = preset, Overrides = Substitute(method.Overrides, text) };
    }

    /// <summary>Compares method names ignoring case and hyphens.</summary>
    private sealed class HyphenInsensitive : IEqualityComparer<string>
    {
        public static readonly HyphenInsensitive Instance = new();

        public bool Equals(string? x, string? y) => StringComparer.OrdinalIgnoreCase.Equals(Strip(x), Strip(y));

        public int GetHashCode(string name) => StringComparer.OrdinalIgnoreCase.GetHashCode(Strip(name)!);

        private static string? Strip(string? name) => name?.Replace("-", "", StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Substitute(IReadOnlyDictionary<string, string> settings, string fraction)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in settings)
            result[field] = value.Replace(Placeholder, fraction, StringComparison.Ordinal);
        return result;
    }
}
