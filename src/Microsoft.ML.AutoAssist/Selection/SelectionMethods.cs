namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The selection methods a saved filter can name: the built-in ones and those registered with
/// <see cref="Register{TOptions}"/>. Loading a model finds its method's options here by name;
/// the benchmark harness lists them from here.
/// </summary>
public static class SelectionMethods
{
    private static readonly object Gate = new();
    private static readonly List<(string Name, Type Type, Func<SelectionMethodOptions> Create)> Known = [];

    static SelectionMethods()
    {
        Register<UniformOptions>();
        Register<AutoAssistOptions>();
        Register<InfoBatchOptions>();
        Register<SelectiveBackpropOptions>();
        Register<LossSamplingOptions>();
        Register<RandomSubsetOptions>();
    }

    /// <summary>The registered methods' names, in registration order (the built-in ones first).</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Gate)
                return Known.Select(k => k.Name).ToArray();
        }
    }

    /// <summary>
    /// Registers a selection method so that models using it load, under the name its options give.
    /// Registering the same class again does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Another class is registered under the same name (names compare case-insensitively).</exception>
    public static void Register<TOptions>() where TOptions : SelectionMethodOptions, new()
    {
        string name = new TOptions().Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name, $"{typeof(TOptions).Name}.Name");
        lock (Gate)
        {
            var existing = Known.FindIndex(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase));
            if (existing >= 0)
            {
                if (Known[existing].Type == typeof(TOptions))
                    return;
                throw new ArgumentException($"Selection method '{name}' is already registered by {Known[existing].Type.FullName}; give {typeof(TOptions).FullName} another Name.");
            }
            Known.Add((name, typeof(TOptions), () => new TOptions()));
        }
    }

    /// <summary>New options, at their defaults, of the method registered as <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No method is registered under that name.</exception>
    public static SelectionMethodOptions Create(string name)
        => TryCreate(name) ?? throw new ArgumentException($"Unknown selection method '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));

    private static SelectionMethodOptions? TryCreate(string name)
    {
        lock (Gate)
            return Known.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase)).Create?.Invoke();
    }

    /// <summary>Writes a method's name, its options' layout version and its options, the last as one length-prefixed block.</summary>
    internal static void Save(BinaryWriter writer, SelectionMethodOptions options)
    {
        using var body = new MemoryStream();
        using (var bodyWriter = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
            options.SaveOptions(bodyWriter);
        writer.Write(options.Name);
        writer.Write(options.OptionsVersion);
        writer.Write(checked((int)body.Length));
        writer.Write(body.GetBuffer(), 0, (int)body.Length);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; the method must be registered.</summary>
    internal static SelectionMethodOptions Load(BinaryReader reader)
    {
        string name = reader.ReadString();
        int version = reader.ReadInt32();
        int length = reader.ReadInt32();
        var body = reader.ReadBytes(length);
        if (body.Length != length)
            throw new FormatException($"The model file is corrupt: the options of selection method '{name}' are cut short.");
        var options = TryCreate(name) ?? throw new FormatException(
            $"The model uses selection method '{name}', which is not registered. Call SelectionMethods.Register<TOptions>() for it before loading the model. Known: {string.Join(", ", Names)}.");
        if (version > options.OptionsVersion)
            throw new FormatException($"The options of selection method '{name}' were saved in layout {version}, newer than this code reads ({options.OptionsVersion}); update the library.");
        using var bodyReader = new BinaryReader(new MemoryStream(body));
        options.LoadOptions(bodyReader, version);
        if (bodyReader.BaseStream.Position != length)
            throw new FormatException($"The options of selection method '{name}' (layout {version}) were not read to their end; its LoadOptions does not match its SaveOptions.");
        return options;
    }
}
