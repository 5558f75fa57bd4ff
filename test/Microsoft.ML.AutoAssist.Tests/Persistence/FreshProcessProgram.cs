using System.Globalization;
using static Microsoft.ML.AutoAssist.Tests.Persistence.PersistenceTestData;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>
/// The test assembly's entry point. Started as <c>dotnet Microsoft.ML.AutoAssist.Tests.dll score-saved-model model.zip</c>,
/// it behaves like a user's app that only loads a model: nothing of ours runs before <c>ml.Model.Load</c>, so ML.NET
/// must find the loaders on its own. Prints what was loaded before and the scored rows.
/// </summary>
internal static class FreshProcessProgram
{
    public const string ScoreVerb = "score-saved-model";

    public static int Main(string[] args)
    {
        if (args is not [ScoreVerb, var modelPath])
            return 0; // the test host never calls Main; anything else is not ours to handle

        Console.WriteLine($"core loaded before Model.Load: {IsLoaded("Microsoft.ML.AutoAssist")}");
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(modelPath, out _);
        var loader = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Microsoft.ML.AutoAssist.Tests.ModelLoaders");
        Console.WriteLine($"loader from: {Path.GetFileName(loader.Location)}");
        foreach (string row in Describe(Score(ml, model, MakeData(ml))))
            Console.WriteLine(row);
        return 0;
    }

    /// <summary>One line per row, floats as their exact bits.</summary>
    public static IEnumerable<string> Describe(IEnumerable<OutputRow> rows)
        => rows.Select(r => string.Join(' ', new[] { r.Label.ToString(CultureInfo.InvariantCulture) }
            .Concat(r.Features.Concat(r.Shifted).Concat(r.Normalized).Select(f => BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture)))));

    private static bool IsLoaded(string name) => AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == name);
}
