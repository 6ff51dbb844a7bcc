using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace CustomerGrains.Stages;

/// <summary>
/// <c>--cpu</c>: the same benchmarks in this process, timed by the process's CPU clock as well as the wall clock, for the
/// stages whose wall time is not all CPU (the commit's fsync, the reads' I/O). Each benchmark: its setups, a second of
/// warm-up, then about <c>seconds</c> of measured calls (iteration setups outside the measurement); CPU µs, wall µs and
/// the CPU share, per operation (the benchmark's <c>OperationsPerInvoke</c>).
/// </summary>
public static partial class CpuTime
{
    private const int ProcessCpuClock = 2; // CLOCK_PROCESS_CPUTIME_ID

    public static int Run(Type[] stages, string filter, double seconds)
    {
        Console.WriteLine($"{"benchmark",-70} {"CPU µs/op",10} {"wall µs/op",11} {"CPU/wall",9}");
        foreach (var type in stages)
        {
            foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            {
                var name = $"{type.Name}.{method.Name}";
                if (!name.Contains(filter, StringComparison.OrdinalIgnoreCase) && filter != "*")
                {
                    continue;
                }

                var (cpu, wall) = Measure(type, method, seconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-70} {cpu,10:F2} {wall,11:F2} {cpu / wall,9:P0}"));
            }
        }

        return 0;
    }

    private static (double Cpu, double Wall) Measure(Type type, MethodInfo method, double seconds)
    {
        var instance = Activator.CreateInstance(type)!;
        Call(instance, type, typeof(GlobalSetupAttribute));
        var perInvoke = method.GetCustomAttribute<BenchmarkAttribute>()!.OperationsPerInvoke;
        // As BenchmarkDotNet runs them: an iteration setup (if any), then this many invocations timed together.
        var invocations = FreshCustomersConfig.Requests;
        try
        {
            // Warm-up: tiered compilation settles first.
            Loop(instance, type, method, invocations, 1.0);
            var (cpu, wall, calls) = Loop(instance, type, method, invocations, seconds);
            return (cpu / calls / perInvoke * 1e6, wall / calls / perInvoke * 1e6);
        }
        finally
        {
            Call(instance, type, typeof(GlobalCleanupAttribute));
        }
    }

    private static (double Cpu, double Wall, long Calls) Loop(object instance, Type type, MethodInfo method, int invocations, double seconds)
    {
        var cpu = 0.0;
        var wall = 0.0;
        var calls = 0L;
        while (wall < seconds)
        {
            if (Call(instance, type, typeof(IterationSetupAttribute)))
            {
                // As BenchmarkDotNet does before each iteration: what the setup built is settled, not collected in the measurement.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
            }
            var cpuBefore = ProcessCpuSeconds();
            var clock = Stopwatch.GetTimestamp();
            for (var i = 0; i < invocations; i++)
            {
                if (method.Invoke(instance, null) is Task task)
                {
                    task.GetAwaiter().GetResult();
                }
            }

            wall += Stopwatch.GetElapsedTime(clock).TotalSeconds;
            cpu += ProcessCpuSeconds() - cpuBefore;
            calls += invocations;
        }

        return (cpu, wall, calls);
    }

    /// <summary>Calls the type's methods carrying <paramref name="attribute"/>; whether there were any.</summary>
    private static bool Call(object instance, Type type, Type attribute)
    {
        var called = false;
        foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute(attribute) is not null))
        {
            m.Invoke(instance, null);
            called = true;
        }

        return called;
    }

    private static double ProcessCpuSeconds() =>
        ClockGetTime(ProcessCpuClock, out var time) == 0 ? time.Seconds + time.Nanoseconds / 1e9 : throw new InvalidOperationException("clock_gettime failed");

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
