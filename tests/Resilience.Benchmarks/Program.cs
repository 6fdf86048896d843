using BenchmarkDotNet.Running;

namespace Resilience.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Resilience.Benchmarks -- &lt;command&gt; [args]</c> runs a load
/// command (any <see cref="ILoadCommand"/> in this assembly, found by its name); anything else goes to
/// BenchmarkDotNet's switcher (e.g. <c>--filter *Decode*</c>).
/// </summary>
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            foreach (Type type in typeof(BenchmarkProgram).Assembly.GetTypes())
            {
                if (type.IsClass && !type.IsAbstract && typeof(ILoadCommand).IsAssignableFrom(type))
                {
                    var command = (ILoadCommand)Activator.CreateInstance(type)!;
                    if (string.Equals(command.Name, args[0], StringComparison.Ordinal))
                    {
                        return await command.RunAsync(args[1..]);
                    }
                }
            }
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
