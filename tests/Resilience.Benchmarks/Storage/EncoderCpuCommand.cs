namespace Resilience.Benchmarks.Storage;

/// <summary><c>encoder-cpu</c>: line-protocol encoding measured per CPU-second (see <see cref="EncoderCpu"/>).</summary>
public sealed class EncoderCpuCommand : ILoadCommand
{
    /// <inheritdoc />
    public string Name => "encoder-cpu";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args) => Task.FromResult(EncoderCpu.Run());
}
