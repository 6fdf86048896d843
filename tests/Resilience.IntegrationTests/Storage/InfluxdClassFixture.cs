using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>One real influxd per test class.</summary>
public sealed class InfluxdClassFixture : IAsyncLifetime
{
    public InfluxdProcess Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await InfluxdProcess.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
