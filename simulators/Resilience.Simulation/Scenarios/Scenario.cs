namespace Resilience.Simulation.Scenarios;

/// <summary>
/// A scenario file (simulators/scenarios/*.yaml, format in simulators/README.md). Keyframes are
/// <c>[hour, value]</c> pairs over simulated hours, interpolated linearly and held flat past the ends. Maps keyed
/// by province or zone id fall back to the key <c>default</c>.
/// </summary>
public sealed class Scenario
{
    /// <summary>Scenario name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>What it shows.</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>Random seed; the same seed, registry and start give the same readings.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Simulated length in hours.</summary>
    public double DurationHours { get; set; } = 24;

    /// <summary>Time compression: simulated seconds per real second (1800 = one simulated hour per 2 s).</summary>
    public double Speed { get; set; } = 1800;

    /// <summary>
    /// Where "now" falls in the scenario when it is played live (<c>--live</c>), in simulated hours from its start:
    /// the hours before it are backfilled at once, the rest follow in real time. Default: 24, or the whole scenario
    /// when it is shorter.
    /// </summary>
    public double? LiveNowAtHours { get; set; }

    /// <summary>Overrides every sensor's reporting interval (simulated seconds) when set.</summary>
    public int? ReportingIntervalSeconds { get; set; }

    /// <summary>Noise levels.</summary>
    public NoiseSettings Noise { get; set; } = new();

    /// <summary>Rain intensity keyframes, mm/h, per province or zone.</summary>
    public Dictionary<string, List<List<double>>> Rain { get; set; } = [];

    /// <summary>River response per province or zone.</summary>
    public Dictionary<string, RiverSettings> Rivers { get; set; } = [];

    /// <summary>Air quality.</summary>
    public AirSettings Air { get; set; } = new();

    /// <summary>Weather.</summary>
    public WeatherSettings Weather { get; set; } = new();
}
