using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoAssist.Harness.Configuration;

/// <summary>
/// Every public field and property of an options object, recursively, as JSON: the effective
/// settings a run trained with. Reflection rather than a list of fields, because the options
/// classes keep changing and a hand-kept list would silently miss the new ones.
/// </summary>
/// <remarks>
/// Values are recorded when they are settings: numbers, text, enums, arrays of those, and objects
/// of the project's own types (nested options), recursively. Run plumbing of other types (data
/// views, progress sinks, cancellation tokens) is left out: it says nothing about how the model was
/// trained and would differ from run to run. A delegate is recorded by the method it calls. Keys
/// are sorted so that equal settings give equal text and equal hashes.
/// </remarks>
public static class SettingsSnapshot
{
    private const int MaxDepth = 8;

    /// <summary>The settings of <paramref name="options"/>, less the members named in <paramref name="leaveOut"/> (e.g. the seed, which is part of a run's key).</summary>
    public static JsonObject Capture(object options, params string[] leaveOut)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = CaptureObject(options, depth: 0);
        foreach (string name in leaveOut)
            snapshot.Remove(name);
        return snapshot;
    }

    /// <summary>A short stable hash of the settings: the first 16 hex digits of SHA-256 over their canonical JSON.</summary>
    public static string Hash(JsonNode settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(settings)!.ToJsonString()));
        return Convert.ToHexStringLower(digest)[..16];
    }

    /// <summary>A copy with every object's keys in ordinal order, so that equal settings serialise to equal text.</summary>
    public static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Canonical).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    private static JsonObject CaptureObject(object value, int depth)
    {
        var members = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        Type type = value.GetType();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (TryCapture(field.FieldType, field.GetValue(value), depth, out var node))
                members[field.Name] = node;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null
                && TryCapture(property.PropertyType, property.GetValue(value), depth, out var node))
            {
                members[property.Name] = node;
            }
        }
        return new JsonObject(members);
    }

    private static bool TryCapture(Type declared, object? value, int depth, out JsonNode? node)
    {
        node = null;
        Type core = Nullable.GetUnderlyingType(declared) ?? declared;
        if (IsPlumbing(core))
            return false;
        if (value is null)
            return true;
        if (typeof(Delegate).IsAssignableFrom(core))
        {
            var method = ((Delegate)value).Method;
            node = JsonValue.Create($"{method.DeclaringType?.FullName}.{method.Name}");
            return true;
        }
        if (TryScalar(value, out node))
            return true;
        if (value is IEnumerable items and not string)
        {
            var array = new JsonArray();
            foreach (object? item in items)
            {
                if (item is null)
                    array.Add(null);
                else if (TryScalar(item, out var scalar))
                    array.Add(scalar);
                else if (IsOwnType(item.GetType()) && depth < MaxDepth)
                    array.Add(CaptureObject(item, depth + 1));
                else
                    return false;
            }
            node = array;
            return true;
        }
        if (IsOwnType(value.GetType()) && depth < MaxDepth)
        {
            node = CaptureObject(value, depth + 1);
            return true;
        }
        return false;
    }

    private static bool TryScalar(object value, out JsonNode? node)
    {
        node = value switch
        {
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            Enum e => JsonValue.Create(e.ToString()),
            // float through its shortest text, so that 0.3f is recorded as 0.3 rather than 0.30000001192092896.
            float f => float.IsFinite(f) ? JsonValue.Create(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
                : JsonValue.Create(f.ToString(CultureInfo.InvariantCulture)),
            double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
            int or long or short or byte or uint or ulong or ushort or sbyte or decimal => JsonValue.Create(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
            TimeSpan t => JsonValue.Create(t.ToString("c", CultureInfo.InvariantCulture)),
            _ => null,
        };
        return node is not null;
    }

    // The project's own types (options and their nested settings), whatever the assembly they move to.
    private static bool IsOwnType(Type type)
        => (type.IsClass || (type.IsValueType && !type.IsPrimitive && !type.IsEnum))
           && type.Assembly.GetName().Name is { } assembly
           && assembly.StartsWith("Microsoft.ML.AutoAssist", StringComparison.Ordinal);

    // Values that say how a run is wired rather than how it trains.
    private static bool IsPlumbing(Type type)
        => type == typeof(CancellationToken)
           || typeof(Microsoft.ML.IDataView).IsAssignableFrom(type)
           || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IProgress<>));
}
