namespace Resilience.Simulation.Registry;

/// <summary>One registry sensor as the simulators need it.</summary>
/// <param name="Id">The MQTT topic's sensorId.</param>
/// <param name="Province">The province slug.</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Zone">The flood zone (water-level and rain sensors), else null.</param>
/// <param name="ReportingIntervalSeconds">How often it reports, in simulated seconds.</param>
/// <param name="Alarm">Alarm levels (water-level gauges).</param>
public sealed record SimSensor(string Id, string Province, SensorKind Kind, string? Zone, int ReportingIntervalSeconds, AlarmLevels? Alarm);
