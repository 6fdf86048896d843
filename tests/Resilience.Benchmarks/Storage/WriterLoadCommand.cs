namespace Resilience.Benchmarks.Storage;

/// <summary><c>writer-load [points]</c>: the writer's end-to-end run (see <see cref="WriterLoad"/>).</summary>
public sealed class WriterLoadCommand : ILoadCommand
{
    /// <inheritdoc />
    public string Name => "writer-load";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args) => WriterLoad.RunAsync(["writer-load", .. args]);
}
