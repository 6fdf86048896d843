using System.Globalization;

namespace Resilience.Benchmarks.Storage;

/// <summary>
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- encoder-cpu</c>: lines encoded per second of
/// this thread's CPU time (3 tags, 1 float field) and bytes allocated. CPU time, unlike wall time, stays meaningful
/// on a machine shared with other builds; BenchmarkDotNet's LineProtocolEncoderBenchmarks is the reference on a
/// quiet machine.
/// </summary>
internal static class EncoderCpu
{
    public static int Run()
    {
        var bench = new LineProtocolEncoderBenchmarks();
        bench.Setup();
        for (int i = 0; i < 2000; i++)
        {
            bench.Encode3Tags1Field();
        }

        var results = new List<double>();
        long allocated = 0;
        for (int round = 0; round < 5; round++)
        {
            TimeSpan cpu0 = ThreadCpu();
            long before = GC.GetAllocatedBytesForCurrentThread();
            const int Calls = 5000; // 5,000,000 lines
            for (int i = 0; i < Calls; i++)
            {
                bench.Encode3Tags1Field();
            }

            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            double seconds = (ThreadCpu() - cpu0).TotalSeconds;
            results.Add(Calls * 1000 / seconds);
        }

        results.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"encoder-cpu: lines_per_cpu_s_median={results[2]:F0} min={results[0]:F0} max={results[4]:F0} ns_per_line={1e9 / results[2]:F1} allocated_bytes={allocated}"));
        return 0;
    }

    private static TimeSpan ThreadCpu()
    {
        // Linux: the calling thread's CPU time from /proc (user + system ticks, 100 per second).
        string stat = File.ReadAllText("/proc/thread-self/stat");
        string[] parts = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(parts[11], CultureInfo.InvariantCulture) + long.Parse(parts[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
