using BenchmarkDotNet.Running;

namespace Resilience.Benchmarks;

internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "writer-load")
        {
            return await Storage.WriterLoad.RunAsync(args);
        }

        if (args.Length > 0 && args[0] == "encoder-cpu")
        {
            return Storage.EncoderCpu.Run();
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
