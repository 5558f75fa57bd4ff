using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;
using Xunit;

namespace Microsoft.ML.AutoAssist.Tests.Harness;

public class BenchmarkRunnerTests
{
    [Fact]
    public void MethodOrderRotatesFromSeedToSeed()
    {
        string[] methods = ["uniform", "autoassist", "infobatch"];
        Assert.Equal(methods, BenchmarkRunner.RotationForSeed(methods, 0));
        Assert.Equal(["autoassist", "infobatch", "uniform"], BenchmarkRunner.RotationForSeed(methods, 1));
        Assert.Equal(["infobatch", "uniform", "autoassist"], BenchmarkRunner.RotationForSeed(methods, 2));
        Assert.Equal(methods, BenchmarkRunner.RotationForSeed(methods, 3));
    }

    [Fact]
    public void AWarmUpRunComesFirstAndIsNotAResult()
    {
        var options = HarnessOptions.Parse(["--methods", "uniform,infobatch", "--seeds", "1,2", "--warmup-steps", "4"]);
        var task = new FakeTask();
        var results = new BenchmarkRunner(options, task, TextWriter.Null).Run();
        Assert.Equal(("uniform", 1, (long?)4), task.Calls[0]);
        Assert.Equal(5, task.Calls.Count);
        Assert.Equal(4, results.Count);
        Assert.All(task.Calls.Skip(1), call => Assert.Null(call.MaxSteps));
    }
}
