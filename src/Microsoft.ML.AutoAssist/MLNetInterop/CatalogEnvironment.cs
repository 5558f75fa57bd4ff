using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AutoAssist;

/// <summary>
/// Finds the MLContext behind an ML.NET catalog object. ML.NET keeps the catalogs' environment
/// internal (its own extension methods reach it through InternalsVisibleTo); catalog extension
/// methods of other packages need it for logging, the seed and the GPU settings. The member is
/// found by type, not name, and a clear error names what moved if an upgrade removes it
/// (the test suite checks every catalog we extend).
/// </summary>
internal static class CatalogEnvironment
{
    public static IHostEnvironment Get(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        for (var type = catalog.GetType(); type is not null; type = type.BaseType)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var property in type.GetProperties(flags))
            {
                if (typeof(IHostEnvironment).IsAssignableFrom(property.PropertyType) && property.GetIndexParameters().Length == 0
                    && property.GetValue(catalog) is IHostEnvironment env)
                    return env;
            }
            foreach (var field in type.GetFields(flags))
            {
                if (typeof(IHostEnvironment).IsAssignableFrom(field.FieldType) && field.GetValue(catalog) is IHostEnvironment env)
                    return env;
            }
        }
        throw new MissingMemberException(
            $"Could not find the ML.NET environment inside {catalog.GetType().FullName}. This package supports Microsoft.ML [5.0.1, 5.1); " +
            "a newer ML.NET may have moved the catalog's internal Environment member.");
    }

    /// <summary>The MLContext's GPU settings, where the environment is an MLContext.</summary>
    public static (int? GpuDeviceId, bool FallbackToCpu) GetDeviceSettings(IHostEnvironment env)
        => env is MLContext context ? (context.GpuDeviceId, context.FallbackToCpu) : (null, true);
}
