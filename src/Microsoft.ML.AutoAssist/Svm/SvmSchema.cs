using Microsoft.ML.Data;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// The schema checks of the SVM trainer, with ML.NET's wording ("Schema mismatch for label column
/// 'Label': expected Boolean, got Single") so that they read like those of its own trainers.
/// </summary>
internal static class SvmSchema
{
    private const string ParameterName = "inputSchema";

    /// <summary>Checks a data view's schema, vector size included.</summary>
    public static void Check(DataViewSchema schema, string labelName, string featureName)
    {
        var label = schema.GetColumnOrNull(labelName) ?? throw NotFound("Label", labelName);
        if (label.Type != BooleanDataViewType.Instance)
            throw Mismatch("label", labelName, "Boolean", label.Type.ToString()!);

        var features = schema.GetColumnOrNull(featureName) ?? throw NotFound("Feature", featureName);
        if (features.Type is not VectorDataViewType { ItemType: NumberDataViewType itemType } vector || itemType != NumberDataViewType.Single)
            throw Mismatch("feature", featureName, ExpectedFeatures, features.Type.ToString()!);
        if (!vector.IsKnownSize)
            throw Mismatch("feature", featureName, ExpectedFeatures, $"a vector of unknown size of {itemType}");
    }

    /// <summary>Checks an estimator's input shape (which does not carry vector sizes; Fit checks those).</summary>
    public static void Check(SchemaShape shape, string labelName, string featureName)
    {
        var label = shape.FirstOrDefault(c => c.Name == labelName);
        if (label.Name is null)
            throw NotFound("Label", labelName);
        if (label.Kind != SchemaShape.Column.VectorKind.Scalar || label.ItemType != BooleanDataViewType.Instance)
            throw Mismatch("label", labelName, "Boolean", $"{label.Kind} of {label.ItemType}");

        var features = shape.FirstOrDefault(c => c.Name == featureName);
        if (features.Name is null)
            throw NotFound("Feature", featureName);
        if (features.Kind != SchemaShape.Column.VectorKind.Vector || features.ItemType != NumberDataViewType.Single)
            throw Mismatch("feature", featureName, ExpectedFeatures, $"{features.Kind} of {features.ItemType}");
    }

    private const string ExpectedFeatures = "a known-size vector of Single";

    private static ArgumentOutOfRangeException NotFound(string role, string name)
        => new(ParameterName, $"{role} column '{name}' not found.");

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, string actual)
        => new(ParameterName, $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}.");
}
