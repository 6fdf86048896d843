using BenchmarkDotNet.Running;
using Resilience.Benchmarks.MqttClient;

namespace Resilience.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "client-load")
        {
            return await ClientLoadRun.RunAsync(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
