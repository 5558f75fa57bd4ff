using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Checks that the training data has the columns the filter's Assistant reads, with the right types,
/// and says which column is wrong and how, the way ML.NET's own estimators do. Only training needs
/// them: the fitted filter passes rows through and checks nothing, so prediction needs no label.
/// </summary>
internal static class FilterSchemaCheck
{
    public static void Check(AutoAssistFilterOptions options, Func<string, (bool Found, string TypeName, ColumnKind Kind)> lookup)
    {
        if (!options.Selection.UsesAssistant || options.AssistantFactory is not null)
            return;
        if (options.SourceColumnName is not null && options.TargetColumnName is not null)
        {
            Require(lookup, "source", options.SourceColumnName, ColumnKind.Text, "Text");
            Require(lookup, "target", options.TargetColumnName, ColumnKind.Text, "Text");
            return;
        }
        Require(lookup, "feature", options.FeatureColumnName, ColumnKind.KnownSizeFloatVector, "known-size vector of Single");
        if (options.LabelColumnName is not null)
            Require(lookup, "label", options.LabelColumnName, ColumnKind.UInt32Key, "key of UInt32 (use MapValueToKey), or set LabelColumnName to null");
    }

    public static (bool, string, ColumnKind) Describe(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name);
        return column is null ? (false, "", ColumnKind.Other) : (true, column.Value.Type.ToString() ?? "", Classify(column.Value.Type));
    }

    public static (bool, string, ColumnKind) Describe(SchemaShape shape, string name)
    {
        var found = shape.Where(c => c.Name == name).ToArray();
        if (found.Length == 0)
            return (false, "", ColumnKind.Other);
        var column = found[^1];
        var kind = column.Kind == SchemaShape.Column.VectorKind.Vector && column.ItemType == NumberDataViewType.Single ? ColumnKind.KnownSizeFloatVector
            : column.Kind == SchemaShape.Column.VectorKind.Scalar && column.IsKey && column.ItemType.RawType == typeof(uint) ? ColumnKind.UInt32Key
            : column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is TextDataViewType ? ColumnKind.Text
            : ColumnKind.Other;
        return (true, $"{column.Kind} of {column.ItemType}{(column.IsKey ? " (key)" : "")}", kind);
    }

    private static ColumnKind Classify(DataViewType type) => type switch
    {
        VectorDataViewType { IsKnownSize: true } v when v.ItemType == NumberDataViewType.Single => ColumnKind.KnownSizeFloatVector,
        KeyDataViewType when type.RawType == typeof(uint) => ColumnKind.UInt32Key,
        TextDataViewType => ColumnKind.Text,
        _ => ColumnKind.Other,
    };

    private static void Require(Func<string, (bool Found, string TypeName, ColumnKind Kind)> lookup, string role, string name, ColumnKind kind, string expected)
    {
        var (found, typeName, actual) = lookup(name);
        if (!found)
            throw new ArgumentOutOfRangeException("inputSchema", $"AutoAssistFilter: {role} column '{name}' was not found in the input.");
        if (actual != kind)
            throw new ArgumentOutOfRangeException("inputSchema", $"AutoAssistFilter: schema mismatch for {role} column '{name}': expected {expected}, got {typeName}.");
    }

    internal enum ColumnKind
    {
        Other,
        KnownSizeFloatVector,
        UInt32Key,
        Text,
    }
}
