using System.Reflection;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Builds <see cref="SchemaShape"/> columns for an estimator's GetOutputSchema. ML.NET keeps
/// SchemaShape.Column's constructor and SchemaShape.Create(DataViewSchema) internal; the latter is
/// reached by reflection (a test checks it resolves, and the error names it if an upgrade moves it).
/// </summary>
internal static class SchemaShapes
{
    private static readonly MethodInfo? CreateMethod =
        typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, [typeof(DataViewSchema)]);

    /// <summary>The shape of <paramref name="schema"/>.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema)
    {
        if (CreateMethod is null)
            throw new MissingMethodException(
                "Microsoft.ML.SchemaShape.Create(DataViewSchema) was not found. This package supports Microsoft.ML [5.0.1, 5.1); a newer ML.NET may have moved it.");
        return (SchemaShape)CreateMethod.Invoke(null, [schema])!;
    }

    /// <summary><paramref name="input"/>'s columns, then <paramref name="added"/>'s (a later column hides an earlier one of the same name).</summary>
    public static SchemaShape Append(SchemaShape input, DataViewSchema added)
    {
        var newColumns = FromSchema(added).ToArray();
        var names = newColumns.Select(c => c.Name).ToHashSet();
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(newColumns));
    }
}
