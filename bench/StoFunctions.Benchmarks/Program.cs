// Benchmarks print figures and ratios against baselines measured in the same run (see README).
Console.WriteLine("usage: dotnet run -c Release --project bench/StoFunctions.Benchmarks -- <suite>");
return 0;
