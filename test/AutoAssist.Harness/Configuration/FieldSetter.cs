using System.Globalization;
using System.Reflection;

namespace AutoAssist.Harness.Configuration;

/// <summary>
/// Sets public fields of an options object from text, so that studies can change any setting of
/// the filter or the trainer from the command line without the harness knowing every field.
/// </summary>
public static class FieldSetter
{
    /// <summary>Sets each named field; <paramref name="owner"/> names the settings in error messages.</summary>
    /// <exception cref="ArgumentException">A field is unknown, not settable from text, or the value does not parse.</exception>
    public static void Apply(object target, IReadOnlyDictionary<string, string> values, string owner)
    {
        foreach (var (name, text) in values)
            Set(target, name, text, owner);
    }

    /// <summary>Sets one public instance field (or property) of <paramref name="target"/> from text.</summary>
    /// <exception cref="ArgumentException">The field is unknown, not settable from text, or the value does not parse.</exception>
    public static void Set(object target, string name, string text, string owner)
    {
        ArgumentNullException.ThrowIfNull(target);
        Type type = target.GetType();
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;
        FieldInfo? field = type.GetField(name, Flags);
        PropertyInfo? property = field is null ? type.GetProperty(name, Flags) : null;
        Type? valueType = field?.FieldType ?? (property is { CanWrite: true } ? property.PropertyType : null);
        if (valueType is null || field is { IsInitOnly: true })
        {
            throw new ArgumentException(
                $"{type.Name} has no settable field '{name}' (in the settings of {owner}). Fields: {string.Join(", ", SettableNames(type))}.");
        }

        object? value = ParseValue(text, valueType, $"{type.Name}.{name} (in the settings of {owner})");
        if (field is not null)
            field.SetValue(target, value);
        else
            property!.SetValue(target, value);
    }

    /// <summary>The names <see cref="Set"/> accepts on <paramref name="type"/>.</summary>
    public static IEnumerable<string> SettableNames(Type type)
        => type.GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(f => !f.IsInitOnly && IsParsable(f.FieldType))
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal);

    private static bool IsParsable(Type type)
    {
        Type core = Nullable.GetUnderlyingType(type) ?? type;
        return core.IsEnum || core == typeof(string) || core == typeof(bool) || core == typeof(int) || core == typeof(long)
            || core == typeof(float) || core == typeof(double) || core == typeof(double[]);
    }

    private static object? ParseValue(string text, Type type, string what)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null || !type.IsValueType)
        {
            if (text.Equals("null", StringComparison.OrdinalIgnoreCase))
                return null;
        }
        Type core = underlying ?? type;
        var culture = CultureInfo.InvariantCulture;
        try
        {
            if (core == typeof(string))
                return text;
            if (core == typeof(bool))
                return bool.Parse(text);
            if (core == typeof(int))
                return int.Parse(text, NumberStyles.Integer, culture);
            if (core == typeof(long))
                return long.Parse(text, NumberStyles.Integer, culture);
            if (core == typeof(float))
                return float.Parse(text, NumberStyles.Float, culture);
            if (core == typeof(double))
                return double.Parse(text, NumberStyles.Float, culture);
            if (core == typeof(double[]))
                return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(part => double.Parse(part, NumberStyles.Float, culture)).ToArray();
            if (core.IsEnum)
            {
                if (Enum.TryParse(core, text.Replace("-", ""), ignoreCase: true, out object? parsed) && Enum.IsDefined(core, parsed!))
                    return parsed;
                throw new FormatException($"expected one of {string.Join(", ", Enum.GetNames(core))}");
            }
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{what}: '{text}' is not a valid {core.Name}: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new ArgumentException($"{what}: '{text}' is out of range for {core.Name}.", e);
        }
        throw new ArgumentException($"{what} is a {type.Name}, which cannot be set from the command line.");
    }
}
