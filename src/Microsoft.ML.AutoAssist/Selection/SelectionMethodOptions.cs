namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The settings of one selection method and its entry points: it checks its settings, creates the
/// method's <see cref="SelectionPolicy"/> for a training session and saves its settings with the
/// filter. Set an instance as <see cref="AutoAssistFilterOptions.Selection"/>.
/// </summary>
/// <remarks>
/// To add a method: derive from this class (with a public parameterless constructor), derive a
/// policy from <see cref="SelectionPolicy"/>, and call <see cref="SelectionMethods.Register{TOptions}"/>
/// once before a model that uses it is loaded. A method saves its own settings with its own
/// <see cref="OptionsVersion"/>, so it can add a setting without changing the filter's format.
/// </remarks>
public abstract class SelectionMethodOptions
{
    /// <summary>The name the method is saved and found under (<see cref="SelectionMethods"/>); never change it once models are saved.</summary>
    public abstract string Name { get; }

    /// <summary>The layout version <see cref="SaveOptions"/> writes; bump it when adding a setting.</summary>
    public virtual int OptionsVersion => 1;

    /// <summary>True when the method asks the filter's Assistant: the session creates one and learns it from the Boss's losses.</summary>
    public virtual bool UsesAssistant => false;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/>, naming the setting, when a setting is out of range.</summary>
    public virtual void Validate()
    {
    }

    /// <summary>Creates the method's decisions for one training session.</summary>
    public abstract SelectionPolicy CreatePolicy(SelectionContext context);

    /// <summary>Writes the settings in layout <see cref="OptionsVersion"/>.</summary>
    public virtual void SaveOptions(BinaryWriter writer)
    {
    }

    /// <summary>Reads settings that <see cref="SaveOptions"/> wrote in layout <paramref name="version"/> into this instance (created with its defaults).</summary>
    public virtual void LoadOptions(BinaryReader reader, int version)
    {
    }

    /// <summary>A copy whose changes do not affect this instance (memberwise; override when a setting is a mutable object).</summary>
    public virtual SelectionMethodOptions Clone() => (SelectionMethodOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the setting <paramref name="name"/> of this class when <paramref name="ok"/> is false.</summary>
    /// <param name="ok">Whether the value is acceptable.</param>
    /// <param name="name">The setting's public name.</param>
    /// <param name="value">The value.</param>
    /// <param name="rule">What the value must be, e.g. "must be in (0, 1]".</param>
    protected void Check(bool ok, string name, object value, string rule) => OptionCheck.That(ok, GetType().Name, name, value, rule);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>What a selection method's policy gets from the training session.</summary>
public sealed class SelectionContext
{
    internal SelectionContext(LossHistory losses, IAssistant? assistant, int seed, ReadOnlyMemory<uint> classes = default, int classCount = 0)
    {
        Losses = losses;
        Assistant = assistant;
        Seed = seed;
        Classes = classes;
        ClassCount = classCount;
    }

    /// <summary>Number of cached training rows; policies see rows as cache indices 0 … RowCount − 1.</summary>
    public int RowCount => Losses.Count;

    /// <summary>The Boss's last loss of every row, recorded as the trainer reports.</summary>
    public LossHistory Losses { get; }

    /// <summary>The filter's Assistant, initialised on the cached rows, when the method's options set <see cref="SelectionMethodOptions.UsesAssistant"/>; null otherwise.</summary>
    public IAssistant? Assistant { get; }

    /// <summary>The session's seed.</summary>
    public int Seed { get; }

    /// <summary>
    /// The class of every cached row (the key of the filter's <see cref="AutoAssistFilterOptions.LabelColumnName"/>,
    /// 1-based; 0 = missing), when that column is a key column; empty otherwise.
    /// </summary>
    public ReadOnlyMemory<uint> Classes { get; }

    /// <summary>Number of classes of <see cref="Classes"/> (the key's count); 0 without a key label.</summary>
    public int ClassCount { get; }
}
