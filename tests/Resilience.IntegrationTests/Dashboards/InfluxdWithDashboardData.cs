using Resilience.TestKit;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>One real influxd per test class, filled once by <see cref="DashboardDataFill.FillAsync"/>.</summary>
public sealed class InfluxdWithDashboardData : IAsyncLifetime
{
    private InfluxdProcess? _influx;

    /// <summary>The filled server.</summary>
    public InfluxdProcess Influx => _influx ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _influx = await InfluxdProcess.StartAsync();
        await DashboardDataFill.FillAsync(_influx, DateTimeOffset.UtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        if (_influx is not null)
        {
            await _influx.DisposeAsync();
        }
    }
}
