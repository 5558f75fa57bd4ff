// Writes the options reference (docs/options.md) from the packages' options classes and XML docs.
//   dotnet run --project build/OptionsDoc -- docs/options.md
using AutoAssist.OptionsDoc;

if (args.Length != 1)
{
    Console.Error.WriteLine($"Usage: {OptionsDocument.RegenerateCommand}");
    return 2;
}
var text = OptionsDocument.Generate(typeof(Microsoft.ML.AutoAssist.AutoAssistFilterOptions).Assembly,
    typeof(Microsoft.ML.AutoAssist.ImageClassificationTrainerOptions).Assembly);
File.WriteAllText(args[0], text);
Console.WriteLine($"Wrote {args[0]}.");
return 0;
