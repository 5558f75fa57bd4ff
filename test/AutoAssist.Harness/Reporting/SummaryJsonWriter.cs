using System.Text.Encodings.Web;
using System.Text.Json;

namespace AutoAssist.Harness.Reporting;

/// <summary>Writes and reads summary.json (snake_case names; a missing value is null, never NaN).</summary>
public static class SummaryJsonWriter
{
    /// <summary>The serializer settings of summary.json.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Keeps '+', '<' and quotes in command lines readable; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The summary as JSON text.</summary>
    public static string Serialize(BenchmarkSummary summary) => JsonSerializer.Serialize(summary, Options) + "\n";
}
