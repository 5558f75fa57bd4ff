using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AutoAssist.OptionsDoc;

/// <summary>
/// Writes docs/options.md from the packages' public options classes: every public class whose name ends in
/// "Options", each public field and settable property (inherited ones too) with its type, default value
/// (read from a new instance) and the summary of its XML doc comment. build/OptionsDoc writes the file;
/// a test checks that the committed file is what this generates, so the page cannot drift from the code.
/// </summary>
public static class OptionsDocument
{
    public const string RegenerateCommand = "dotnet run --project build/OptionsDoc -- docs/options.md";

    public static string Generate(params Assembly[] assemblies)
    {
        var text = new StringBuilder();
        text.Append("# Options reference\n\n");
        text.Append("Every public options class of the packages, with each option's type, default value and description.\n");
        text.Append("Generated from the code and its XML doc comments; do not edit by hand. After changing an options class, run\n\n");
        text.Append($"    {RegenerateCommand}\n\n");
        text.Append("(a test fails while this page differs from what that command writes).\n");
        var enums = new List<(Type Type, Dictionary<string, string> Docs)>();
        foreach (var assembly in assemblies)
        {
            var docs = LoadDocs(assembly);
            var types = assembly.GetExportedTypes()
                .Where(t => t.IsClass && !t.IsAbstract && t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetConstructor(Type.EmptyTypes) is not null)
                .OrderBy(t => t.Name, StringComparer.Ordinal);
            foreach (var type in types)
            {
                var instance = Activator.CreateInstance(type)!;
                text.Append($"\n## {type.Name}\n\n");
                text.Append($"`{type.FullName}` ({assembly.GetName().Name})");
                var summary = Summary(docs, "T:" + type.FullName);
                text.Append(summary.Length > 0 ? $": {summary}\n\n" : "\n\n");
                text.Append("| option | type | default | description |\n|---|---|---|---|\n");
                foreach (var member in Members(type))
                {
                    var (memberType, value, prefix) = member switch
                    {
                        FieldInfo f => (f.FieldType, f.GetValue(instance), "F:"),
                        PropertyInfo p => (p.PropertyType, p.GetValue(instance), "P:"),
                        _ => throw new InvalidOperationException(),
                    };
                    var description = Summary(docs, prefix + member.DeclaringType!.FullName + "." + member.Name);
                    var valueType = Nullable.GetUnderlyingType(memberType) ?? memberType;
                    if (valueType.IsEnum && valueType.Assembly == assembly && !enums.Any(e => e.Type == valueType))
                        enums.Add((valueType, docs));
                    text.Append($"| `{member.Name}` | `{TypeName(memberType, member)}` | {Cell(FormatValue(value))} | {Escape(description)} |\n");
                }
            }
        }
        if (enums.Count > 0)
            text.Append("\n## Values of the enumerations above\n");
        foreach (var (type, docs) in enums.OrderBy(e => e.Type.Name, StringComparer.Ordinal))
        {
            text.Append($"\n### {type.Name}\n\n");
            var summary = Summary(docs, "T:" + type.FullName);
            if (summary.Length > 0)
                text.Append(Escape(summary)).Append("\n\n");
            text.Append("| value | description |\n|---|---|\n");
            foreach (var name in Enum.GetNames(type))
                text.Append($"| `{name}` | {Escape(Summary(docs, $"F:{type.FullName}.{name}"))} |\n");
        }
        return text.ToString();
    }

    /// <summary>Public instance fields and settable properties, base class first, each in declaration order.</summary>
    static IEnumerable<MemberInfo> Members(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            chain.Insert(0, t);
        foreach (var t in chain)
        {
            var declared = t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m is FieldInfo { IsInitOnly: false } || m is PropertyInfo { CanWrite: true, SetMethod.IsPublic: true })
                .OrderBy(m => m.MetadataToken);
            foreach (var m in declared)
                yield return m;
        }
    }

    static Dictionary<string, string> LoadDocs(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
            throw new FileNotFoundException($"The XML documentation of {assembly.GetName().Name} was not found beside it.", path);
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Flatten(m.Element("summary")!));
    }

    static string Summary(Dictionary<string, string> docs, string id) => docs.TryGetValue(id, out var s) ? s : "";

    /// <summary>The summary as one line of Markdown: see/paramref become code, other tags their text.</summary>
    static string Flatten(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XText t)
                text.Append(t.Value);
            else if (node is XElement e)
            {
                var reference = e.Attribute("cref")?.Value ?? e.Attribute("name")?.Value ?? e.Attribute("langword")?.Value;
                if (e.Name == "c")
                    text.Append('`').Append(e.Value).Append('`');
                else if (reference is not null && e.Value.Length == 0)
                    text.Append('`').Append(ShortName(reference)).Append('`');
                else
                    text.Append(Flatten(e));
            }
        }
        return Regex.Replace(text.ToString(), @"\s+", " ").Trim();
    }

    /// <summary>The simple name of a type or member: "T:A.B.Type" gives Type, "F:A.B.Type.Member" gives Member.</summary>
    static string ShortName(string cref) => Regex.Replace(Regex.Replace(cref, @"^[A-Z]:", ""), @"\(.*\)$", "").Split('.')[^1];

    static string TypeName(Type type, MemberInfo member)
    {
        bool nullableReference = !type.IsValueType && new NullabilityInfoContext() switch
        {
            var c when member is FieldInfo f => c.Create(f).WriteState == NullabilityState.Nullable,
            var c when member is PropertyInfo p => c.Create(p).WriteState == NullabilityState.Nullable,
            _ => false,
        };
        return Name(type) + (nullableReference ? "?" : "");

        static string Name(Type t)
        {
            if (Nullable.GetUnderlyingType(t) is { } inner) return Name(inner) + "?";
            if (t.IsArray) return Name(t.GetElementType()!) + "[]";
            if (t.IsGenericType)
                return t.Name[..t.Name.IndexOf('`')] + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
            return t switch
            {
                _ when t == typeof(int) => "int",
                _ when t == typeof(long) => "long",
                _ when t == typeof(float) => "float",
                _ when t == typeof(double) => "double",
                _ when t == typeof(bool) => "bool",
                _ when t == typeof(string) => "string",
                _ => t.Name,
            };
        }
    }

    static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        float f => f.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        CancellationToken token => token.CanBeCanceled ? "a token" : "none",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(FormatValue)) + "]",
        _ => value.ToString() ?? "",
    };

    static string Cell(string value) => "`" + value.Replace("|", "\\|") + "`";

    static string Escape(string text) => text.Replace("|", "\\|");
}
