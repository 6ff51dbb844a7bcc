// The cost budget per stage of the event path (issue 20): each pure or in-process stage measured alone, per event,
// on the load generator's traffic (see Workload). BenchmarkDotNet (wall time and allocations per operation):
//
//   dotnet run -c Release --project bench/Stages -- --filter '*'
//   dotnet run -c Release --project bench/Stages -- --filter '*Commit*'
//
// The same benchmarks timed by the process's CPU clock too (the commit's fsync and the reads' I/O are wall, not CPU):
//
//   dotnet run -c Release --project bench/Stages -- --cpu ['*' | part of a name] [seconds]
using System.Globalization;
using BenchmarkDotNet.Running;
using CustomerGrains.Stages;

Type[] stages = [typeof(BodyToEvents), typeof(Decide), typeof(Evaluate), typeof(Journal), typeof(Commit), typeof(Activation)];
if (args.Length > 0 && args[0] == "--cpu")
{
    return CpuTime.Run(stages, args.Length > 1 ? args[1] : "*", args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 3.0);
}

BenchmarkSwitcher.FromTypes(stages).Run(args);
return 0;
