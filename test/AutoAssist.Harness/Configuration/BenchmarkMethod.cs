using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Configuration;

/// <summary>
/// A named way of selecting training rows: a <see cref="SelectionMethod"/> plus filter settings.
/// Names are the command line's (uniform, autoassist, ...); a variant "base:label" (e.g.
/// "autoassist:floor0.2") runs the base method under its own name, so one benchmark can compare
/// settings of the same method with <c>--set autoassist:floor0.2.BaseKeepProbability=0.2</c>.
/// </summary>
public sealed record BenchmarkMethod
{
    /// <summary>The reference every ratio is taken against.</summary>
    public const string UniformName = "uniform";

    /// <summary>AutoAssist with every row kept: the cost of the machinery alone.</summary>
    public const string KeepAllName = "autoassist-keepall";

    private static readonly IReadOnlyDictionary<string, (SelectionMethod Method, IReadOnlyDictionary<string, string> Preset)> BaseMethods =
        new Dictionary<string, (SelectionMethod, IReadOnlyDictionary<string, string>)>(StringComparer.OrdinalIgnoreCase)
        {
            [UniformName] = (SelectionMethod.Uniform, Empty),
            ["autoassist"] = (SelectionMethod.AutoAssist, Empty),
            ["infobatch"] = (SelectionMethod.InfoBatch, Empty),
            ["selective-backprop"] = (SelectionMethod.SelectiveBackprop, Empty),
            ["loss-sampling"] = (SelectionMethod.LossSampling, Empty),
            [KeepAllName] = (SelectionMethod.AutoAssist,
                new Dictionary<string, string> { [nameof(AutoAssistFilterOptions.BaseKeepProbability)] = "1" }),
        };

    private static IReadOnlyDictionary<string, string> Empty => new Dictionary<string, string>();

    /// <summary>Every base method name, in the order a full benchmark runs them.</summary>
    public static IReadOnlyList<string> AllNames { get; } =
        [UniformName, "autoassist", "infobatch", "selective-backprop", "loss-sampling", KeepAllName];

    /// <summary>The name in reports (the base name, or "base:label" for a variant).</summary>
    public required string Name { get; init; }

    /// <summary>The base method's name.</summary>
    public required string BaseName { get; init; }

    /// <summary>The selection method the filter runs.</summary>
    public required SelectionMethod Selection { get; init; }

    /// <summary>Filter fields the method sets itself (autoassist-keepall: BaseKeepProbability = 1).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; init; } = Empty;

    /// <summary>Filter fields set on the command line with <c>--set NAME.Field=value</c>, applied after the preset.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = Empty;

    /// <summary>True for the method every ratio is taken against.</summary>
    public bool IsUniform => string.Equals(Name, UniformName, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses "uniform", "autoassist", ..., or a variant "base:label".</summary>
    /// <exception cref="ArgumentException">The base name is unknown or the label is empty.</exception>
    public static BenchmarkMethod Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        name = name.Trim();
        int colon = name.IndexOf(':');
        string baseName = colon < 0 ? name : name[..colon];
        if (colon >= 0 && colon == name.Length - 1)
            throw new ArgumentException($"Method '{name}': a variant needs a label after ':' (e.g. autoassist:floor0.2).");
        if (name.Contains('='))
            throw new ArgumentException($"Method '{name}': a method name cannot contain '='.");
        if (!BaseMethods.TryGetValue(baseName, out var known))
            throw new ArgumentException($"Unknown method '{baseName}'. Known methods: {string.Join(", ", AllNames)} (or a variant such as autoassist:label).");
        string canonicalBase = AllNames.First(n => string.Equals(n, baseName, StringComparison.OrdinalIgnoreCase));
        return new BenchmarkMethod
        {
            Name = colon < 0 ? canonicalBase : canonicalBase + name[colon..],
            BaseName = canonicalBase,
            Selection = known.Method,
            Preset = known.Preset,
        };
    }

    /// <summary>
    /// The filter options of one run: the task's columns, the seed, the preset, then the overrides.
    /// </summary>
    public AutoAssistFilterOptions CreateFilterOptions(int seed, Action<AutoAssistFilterOptions> configureColumns)
    {
        var options = new AutoAssistFilterOptions { Method = Selection, Seed = seed };
        configureColumns(options);
        FieldSetter.Apply(options, Preset, $"method '{Name}'");
        FieldSetter.Apply(options, Overrides, $"method '{Name}'");
        return options;
    }

    /// <summary>The preset and the overrides, as reported in the summary.</summary>
    public IReadOnlyDictionary<string, string> EffectiveSettings()
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in Preset)
            settings[field] = value;
        foreach (var (field, value) in Overrides)
            settings[field] = value;
        return settings;
    }
}
