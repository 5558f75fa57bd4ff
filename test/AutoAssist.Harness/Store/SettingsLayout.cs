using System.Globalization;
using System.Text.Json.Nodes;
using AutoAssist.Harness.Configuration;
using Microsoft.ML.AutoAssist;

namespace AutoAssist.Harness.Store;

/// <summary>
/// Brings a stored run's settings to the option layouts of this code, so that a run recorded
/// before its selection method gained settings still counts beside runs recorded after, when it
/// trained the same way. A method's options name their layout (<see cref="SelectionMethodOptions.OptionsVersion"/>);
/// a newer layout appends settings, and the method's <see cref="SelectionMethodOptions.LoadOptions"/>
/// gives them, for an older layout, the values that keep the older behaviour. The upgrade runs
/// exactly that code: it writes the stored values in the current layout and reads them back as the
/// stored layout, so the harness keeps no list of its own of what each layout meant.
/// </summary>
public static class SettingsLayout
{
    /// <summary>
    /// The settings hash <paramref name="run"/> would have under this code's layouts: its stored hash
    /// when its layouts are current (or unknown here), otherwise the hash of its upgraded settings.
    /// </summary>
    public static string CurrentHash(StoredRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return ToCurrentLayout(run.Settings) is { } upgraded ? SettingsSnapshot.Hash(upgraded) : run.SettingsHash;
    }

    /// <summary>
    /// A copy of <paramref name="settings"/> with the filter's selection options in the current
    /// layout; null when they already are, or when they name a method or a setting this code does not know
    /// (then nothing can be said about them and they stay as stored).
    /// </summary>
    public static JsonObject? ToCurrentLayout(JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings["filter"] is not JsonObject filter || filter["Selection"] is not JsonObject selection)
            return null;
        if (selection["Name"] is not JsonValue nameValue || !nameValue.TryGetValue(out string? name)
            || selection["OptionsVersion"] is not JsonValue versionValue
            || !int.TryParse(versionValue.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int version))
            return null;   // read as text: a value parsed from the store and one built in code hold different CLR types

        if (!SelectionMethods.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            return null;
        var current = SelectionMethods.Create(name);
        if (version >= current.OptionsVersion)
            return null;

        var settable = FieldSetter.SettableNames(current.GetType()).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, value) in selection)
        {
            if (settable.Contains(key))
                FieldSetter.Set(current, key, Text(value), owner: $"stored {name} settings");
            else if (!IsReadOnlyMember(current.GetType(), key))
                return null;   // a setting this layout no longer has: the run is not comparable
        }

        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
            current.SaveOptions(writer);
        bytes.Position = 0;
        var upgraded = SelectionMethods.Create(name);
        using (var reader = new BinaryReader(bytes))
            upgraded.LoadOptions(reader, version);

        var copy = settings.DeepClone().AsObject();
        copy["filter"]!["Selection"] = SettingsSnapshot.Capture(upgraded);
        return copy;
    }

    // FieldSetter parses text: JSON strings without their quotes, everything else as written.
    private static string Text(JsonNode? value)
        => value is null ? "null"
            : value is JsonValue v && v.TryGetValue(out string? s) ? s
            : value.ToJsonString();

    // Read-only members (Name, OptionsVersion, UsesAssistant) are recorded but set by the type itself.
    private static bool IsReadOnlyMember(Type type, string name)
        => type.GetProperty(name) is { CanWrite: false };
}
