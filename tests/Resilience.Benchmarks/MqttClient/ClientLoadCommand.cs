namespace Resilience.Benchmarks.MqttClient;

/// <summary><c>client-load [messages] [runs]</c>: our client publishing into a real mosquitto (see <see cref="ClientLoadRun"/>).</summary>
public sealed class ClientLoadCommand : ILoadCommand
{
    /// <inheritdoc />
    public string Name => "client-load";

    /// <inheritdoc />
    public Task<int> RunAsync(string[] args) => ClientLoadRun.RunAsync(["client-load", .. args]);
}
