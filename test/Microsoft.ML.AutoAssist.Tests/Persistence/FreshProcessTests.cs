using System.Diagnostics;
using Xunit;
using static Microsoft.ML.AutoAssist.Tests.Persistence.PersistenceTestData;

namespace Microsoft.ML.AutoAssist.Tests.Persistence;

/// <summary>A saved model loads in a new process whose code never touched ours: no registration, no warm-up.</summary>
public class FreshProcessTests
{
    [Fact]
    public void ModelLoadsInAProcessThatRanNoneOfOurCode()
    {
        var ml = new MLContext(seed: 1);
        var data = MakeData(ml);
        var model = MakeChain(ml, data);
        string modelPath = Path.Combine(Path.GetTempPath(), $"autoassist-persistence-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, modelPath);
            var (exitCode, output, errors) = Run(typeof(FreshProcessProgram).Assembly.Location, FreshProcessProgram.ScoreVerb, modelPath);

            Assert.True(exitCode == 0, $"the child process failed ({exitCode}):\n{errors}\n{output}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("core loaded before Model.Load: False", lines[0]);
            Assert.Equal("loader from: Microsoft.ML.AutoAssist.Tests.ModelLoaders.dll", lines[1]); // the build's file, not memory
            Assert.Equal(FreshProcessProgram.Describe(Score(ml, model, data)), lines.Skip(2));
        }
        finally
        {
            File.Delete(modelPath);
        }
    }

    private static (int ExitCode, string Output, string Errors) Run(string assembly, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the child process did not finish in two minutes");
        }
        return (process.ExitCode, output, errors.Result);
    }

    // The test host runs under the same dotnet that built the tests.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        if (Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        return "dotnet";
    }
}
