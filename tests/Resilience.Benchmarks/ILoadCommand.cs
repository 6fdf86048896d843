namespace Resilience.Benchmarks;

/// <summary>A load run started by name from the command line (a public parameterless class in this assembly).</summary>
public interface ILoadCommand
{
    /// <summary>The command's name, e.g. <c>broker-load</c>.</summary>
    string Name { get; }

    /// <summary>Runs the command with the remaining arguments; returns the process exit code.</summary>
    Task<int> RunAsync(string[] args);
}
