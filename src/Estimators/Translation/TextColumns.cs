using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>Checks that text columns are there, with ML.NET's schema-error wording (column, expected type, actual type).</summary>
internal static class TextColumns
{
    /// <summary>Throws unless <paramref name="schema"/> has a text column <paramref name="name"/>.</summary>
    /// <param name="schema">The input schema.</param>
    /// <param name="name">The column.</param>
    /// <param name="role">What the column is for, e.g. "source".</param>
    public static void Require(DataViewSchema schema, string name, string role)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Could not find {role} column '{name}'");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for {role} column '{name}': expected String, got {column.Type}");
    }

    /// <inheritdoc cref="Require(DataViewSchema, string, string)"/>
    public static void Require(SchemaShape shape, string name, string role)
    {
        var column = shape.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException(nameof(shape), $"Could not find {role} column '{name}'");
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(shape),
                $"Schema mismatch for {role} column '{name}': expected String, got {(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : column.Kind + " of ")}{column.ItemType}");
    }
}
