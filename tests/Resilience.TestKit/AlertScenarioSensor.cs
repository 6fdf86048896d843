namespace Resilience.TestKit;

/// <summary>A sensor (or zone) of an alert scenario, as the registry would declare it.</summary>
/// <param name="Id">Sensor or zone id.</param>
/// <param name="Kind">water_level, rain, air_quality, weather, or "zone".</param>
/// <param name="Province">Province slug.</param>
/// <param name="Zone">The sensor's zone.</param>
/// <param name="LevelI">Alarm level I (water-level gauges).</param>
/// <param name="LevelII">Alarm level II.</param>
/// <param name="LevelIII">Alarm level III.</param>
/// <param name="KOfN">Zones: gauges that must be in alarm.</param>
public sealed record AlertScenarioSensor(
    string Id,
    string Kind,
    string Province = "danang",
    string? Zone = null,
    double? LevelI = null,
    double? LevelII = null,
    double? LevelIII = null,
    int KOfN = 1);
