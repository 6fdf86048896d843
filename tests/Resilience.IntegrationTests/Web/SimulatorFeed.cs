using System.Globalization;
using System.Text;
using Resilience.Simulation.Publishing;
using Resilience.Simulation.Registry;
using Resilience.Simulation.Running;
using Resilience.Simulation.Scenarios;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Web;

/// <summary>
/// Feeds a running silo the way <c>Resilience.SensorSimulator</c> does (same engine, runner and MQTT publisher,
/// driven in-process): a scenario from simulators/scenarios for every sensor of the silo's registry, over the silo's
/// embedded MQTT broker, with simulated timestamps ending now (as the simulator's default), so the silo holds hours of
/// history (VN_AQI's NowCast needs readings in two of the last three hours).
/// </summary>
internal static class SimulatorFeed
{
    /// <summary>The registry the silo loads by default (its build output's Registry/registry.yaml).</summary>
    public static string RegistryPath => Path.Combine(Path.GetDirectoryName(SiloProcess.LocateSiloDll())!, "Registry", "registry.yaml");

    /// <summary>
    /// Plays the first <paramref name="hours"/> simulated hours of <paramref name="scenarioName"/> flat out, for the
    /// registry sensors <paramref name="include"/> accepts (all by default), ending <paramref name="endAgo"/> before now.
    /// </summary>
    public static async Task<long> PublishAsync(int mqttPort, string scenarioName, double hours, CancellationToken cancellationToken, Func<SimSensor, bool>? include = null, TimeSpan endAgo = default)
    {
        Scenario scenario = LoadScenario(scenarioName);
        scenario.DurationHours = hours;
        IReadOnlyList<SimSensor> sensors = Sensors(include);
        await using MqttNetPublisher publisher = await MqttNetPublisher.ConnectAsync("127.0.0.1", mqttPort, "web-tests-simulator-" + scenarioName, qos: 1, cancellationToken);
        var runner = new SimulationRunner(publisher, TimeProvider.System, TimestampMode.Simulated);
        await runner.PublishStatusAsync(sensors, "online", cancellationToken);
        DateTimeOffset start = DateTimeOffset.UtcNow - TimeSpan.FromHours(hours) - endAgo;
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        var engine = new ScenarioEngine(scenario, sensors, start);
        long published = await runner.RunAsync(engine, speed: 0, cancellationToken);
        await publisher.DrainAsync(cancellationToken);
        return published;
    }

    /// <summary>
    /// What <c>--live</c> does in demo.sh, up to "now": the scenario's hours before its <c>liveNowAtHours</c> are
    /// backfilled for the sensors <paramref name="include"/> accepts; returns when the backfill reached now.
    /// </summary>
    public static async Task<long> BackfillLiveAsync(int mqttPort, string scenarioName, Func<SimSensor, bool> include, CancellationToken cancellationToken)
    {
        Scenario scenario = LoadScenario(scenarioName);
        IReadOnlyList<SimSensor> sensors = Sensors(include);
        await using MqttNetPublisher publisher = await MqttNetPublisher.ConnectAsync("127.0.0.1", mqttPort, "web-tests-live-" + scenarioName, qos: 1, cancellationToken);
        var runner = new SimulationRunner(publisher, TimeProvider.System, TimestampMode.Simulated);
        await runner.PublishStatusAsync(sensors, "online", cancellationToken);
        DateTimeOffset start = DateTimeOffset.UtcNow - TimeSpan.FromHours(scenario.LiveNowAtHours ?? 24);
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        using var caughtUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long backfilled = 0;
        try
        {
            await runner.RunLiveAsync(new ScenarioEngine(scenario, sensors, start), n =>
            {
                backfilled = n;
                caughtUp.Cancel();
            }, caughtUp.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        await publisher.DrainAsync(cancellationToken);
        return backfilled;
    }

    private static Scenario LoadScenario(string name) =>
        ScenarioLoader.Parse(File.ReadAllText(Path.Combine(Dashboards.DashboardFiles.RepositoryRoot, "simulators", "scenarios", name + ".yaml")));

    private static List<SimSensor> Sensors(Func<SimSensor, bool>? include) => [.. RegistryLoader.Load(RegistryPath).Where(s => include?.Invoke(s) ?? true)];

    /// <summary>Publishes one water-level reading (JSON payload, as a gauge sends it) with QoS 1.</summary>
    public static async Task PublishWaterLevelAsync(int mqttPort, string province, string sensorId, long seq, double levelM, CancellationToken cancellationToken, DateTimeOffset? ts = null)
    {
        await using MqttNetPublisher publisher = await MqttNetPublisher.ConnectAsync("127.0.0.1", mqttPort, "web-tests-gauge-" + seq.ToString(CultureInfo.InvariantCulture), qos: 1, cancellationToken);
        byte[] topic = Encoding.UTF8.GetBytes($"sensors/{province}/{sensorId}/telemetry");
        string json = ts is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{{\"ts\":{at.ToUnixTimeMilliseconds()},\"seq\":{seq},\"values\":{{\"water_level\":{levelM}}}}}")
            : string.Create(CultureInfo.InvariantCulture, $"{{\"seq\":{seq},\"values\":{{\"water_level\":{levelM}}}}}");
        byte[] payload = Encoding.UTF8.GetBytes(json);
        await publisher.PublishAsync(topic, payload, retain: false, cancellationToken);
        await publisher.DrainAsync(cancellationToken);
    }
}
