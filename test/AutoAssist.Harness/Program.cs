using AutoAssist.Harness.Configuration;
using AutoAssist.Harness.Running;

// The benchmark harness's entry point: parse, run, report. The logic lives in classes the tests call.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(HarnessOptions.Usage);
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

HarnessSession.Run(options, Console.Out);
return 0;
