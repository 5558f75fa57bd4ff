using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Configuration;

/// <summary>
/// A named way of selecting training rows: a registered selection method (<see cref="SelectionMethods"/>)
/// plus settings. Names are the command line's: each registered method's name in lower case
/// (uniform, autoassist, infobatch, selectivebackprop, losssampling, and any method a study
/// registers; hyphens are ignored, so selective-backprop works too), plus autoassist-keepall; a variant "base:label" (e.g. "autoassist:floor0.2")
/// runs the base method under its own name, so one benchmark can compare settings of the same
/// method with <c>--set autoassist:floor0.2.BaseKeepProbability=0.2</c>.
/// </summary>
public sealed record BenchmarkMethod
{
    /// <summary>The reference every ratio is taken against.</summary>
    public const string UniformName = "uniform";

    /// <summary>AutoAssist with every row kept: the cost of the machinery alone.</summary>
    public const string KeepAllName = "autoassist-keepall";

    /// <summary>Every base method name, in the order a full benchmark runs them: the registered methods, then autoassist-keepall.</summary>
    public static IReadOnlyList<string> AllNames => [.. SelectionMethods.Names.Select(CommandLineName), KeepAllName];

    /// <summary>The name in reports (the base name, or "base:label" for a variant).</summary>
    public required string Name { get; init; }

    /// <summary>The base method's name.</summary>
    public required string BaseName { get; init; }

    /// <summary>The registered selection method the filter runs (<see cref="SelectionMethodOptions.Name"/>).</summary>
    public required string Selection { get; init; }

    /// <summary>Settings the method sets itself (autoassist-keepall: BaseKeepProbability = 1).</summary>
    public IReadOnlyDictionary<string, string> Preset { get; init; } = Empty;

    /// <summary>
    /// Settings given on the command line with <c>--set NAME.Field=value</c>, applied after the preset:
    /// a field of the method's options (e.g. BaseKeepProbability) or of the filter's (e.g. AssistantL2).
    /// </summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = Empty;

    /// <summary>
    /// Trainer settings of this method alone, given with <c>--set NAME.trainer.Field=value</c> and applied
    /// after the command line's <c>--set trainer.Field=value</c>: a variant such as "uniform:chunked" can
    /// train another way (e.g. local learning) in the same benchmark as plain uniform.
    /// </summary>
    public IReadOnlyDictionary<string, string> TrainerOverrides { get; init; } = Empty;

    /// <summary>True for the method every ratio is taken against.</summary>
    public bool IsUniform => string.Equals(Name, UniformName, StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyDictionary<string, string> Empty => new Dictionary<string, string>();

    /// <summary>"SelectiveBackprop" → "selectivebackprop".</summary>
    public static string CommandLineName(string registeredName) => registeredName.ToLowerInvariant();

    private static bool SameMethod(string registeredName, string commandLineName)
        => string.Equals(registeredName, commandLineName.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses "uniform", "autoassist", ..., a registered method's own name, or a variant "base:label".</summary>
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
        string canonicalBase;
        string selection;
        IReadOnlyDictionary<string, string> preset = Empty;
        if (string.Equals(baseName, KeepAllName, StringComparison.OrdinalIgnoreCase))
        {
            canonicalBase = KeepAllName;
            selection = AutoAssistOptions.MethodName;
            preset = new Dictionary<string, string> { [nameof(AutoAssistOptions.BaseKeepProbability)] = "1" };
        }
        else
        {
            selection = SelectionMethods.Names.FirstOrDefault(n => SameMethod(n, baseName))
                ?? throw new ArgumentException($"Unknown method '{baseName}'. Known methods: {string.Join(", ", AllNames)} (or a variant such as autoassist:label).");
            canonicalBase = CommandLineName(selection);
        }
        return new BenchmarkMethod
        {
            Name = colon < 0 ? canonicalBase : canonicalBase + name[colon..],
            BaseName = canonicalBase,
            Selection = selection,
            Preset = preset,
        };
    }

    /// <summary>
    /// The filter options of one run: the task's columns, the seed, the preset, then the overrides.
    /// </summary>
    public AutoAssistFilterOptions CreateFilterOptions(int seed, Action<AutoAssistFilterOptions> configureColumns)
    {
        var options = new AutoAssistFilterOptions { Selection = SelectionMethods.Create(Selection), Seed = seed };
        configureColumns(options);
        Apply(options, Preset);
        Apply(options, Overrides);
        return options;
    }

    /// <summary>Sets each field on the method's options when they have it, else on the filter's.</summary>
    private void Apply(AutoAssistFilterOptions options, IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (field, value) in settings)
        {
            bool onMethod = FieldSetter.SettableNames(options.Selection.GetType()).Contains(field, StringComparer.OrdinalIgnoreCase);
            try
            {
                FieldSetter.Set(onMethod ? options.Selection : options, field, value, $"method '{Name}'");
            }
            catch (ArgumentException e) when (!onMethod)
            {
                throw new ArgumentException($"{e.Message} {options.Selection.GetType().Name} fields: {string.Join(", ", FieldSetter.SettableNames(options.Selection.GetType()))}.", e);
            }
        }
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
