using BenchmarkDotNet.Running;
using Resilience.Benchmarks.Alerts;

namespace Resilience.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "alert-latency")
        {
            return await AlertLatencyRun.RunAsync(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
