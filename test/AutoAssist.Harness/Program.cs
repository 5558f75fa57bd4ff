using Microsoft.ML.AutoAssist;
using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;

// The benchmark harness's entry point: parse, run, report. The logic lives in classes the tests call.

// `--task svm`: the linear SVM benchmark, with options of its own (test/AutoAssist.Harness/Svm).
if (AutoAssist.Harness.Svm.SvmBenchmarkOptions.IsRequested(args))
    return AutoAssist.Harness.Svm.SvmBenchmark.Run(args, Console.Out);

// `--task group-testing`: the neural group-testing benchmark (test/AutoAssist.Harness/GroupTesting).
if (AutoAssist.Harness.GroupTesting.GroupTestingBenchmarkOptions.IsRequested(args))
    return AutoAssist.Harness.GroupTesting.GroupTestingBenchmark.Run(args, Console.Out);

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(HarnessOptions.Usage);
    return 0;
}

// `--throughput [resnet8|resnet20] [rows] [repetitions]`: the ML.NET trainer against a bare TorchSharp loop.
if (args.Length > 0 && args[0] == "--throughput")
{
    var architecture = args.Length > 1 ? Enum.Parse<ResNetArchitecture>(args[1], ignoreCase: true)
        : ResNetArchitecture.ResNet8;
    int rows = args.Length > 2 ? int.Parse(args[2]) : 12_800;
    int repetitions = args.Length > 3 ? int.Parse(args[3]) : 3;
    AutoAssist.Harness.Throughput.TrainerThroughput.Run(architecture, rows, batchSize: 128, repetitions, threads: null, Console.Out);
    return 0;
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

if (options.IsFrontier)
    FrontierSession.Run(options, Console.Out);
else
    HarnessSession.Run(options, Console.Out);
return 0;
