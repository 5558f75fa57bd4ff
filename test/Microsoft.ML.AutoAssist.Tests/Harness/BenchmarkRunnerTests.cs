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
}
