using System.ComponentModel.DataAnnotations;

namespace Resilience.Alerts.Evaluation;

/// <summary>
/// Flood-level discipline (<c>Resilience:Flood</c>): the hysteresis of a gauge's held alarm level, which the zone
/// level is built from, and the time-to-next-alarm nowcast. All times are reading times (device timestamps).
/// </summary>
internal sealed class FloodLevelOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Flood";

    /// <summary>
    /// How far below its alarm level (m) a gauge must fall before the level may step down. Default 0.05 m
    /// (a noisy gauge reads ± 2 cm; a wave or a boat wake more).
    /// </summary>
    [Range(0.0, 5.0)]
    public double HysteresisM { get; set; } = 0.05;

    /// <summary>
    /// How long (reading time) a gauge must stay below its level minus <see cref="HysteresisM"/> before the level
    /// steps down. Default 20 minutes. A step up is never delayed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StepDownAfter { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The span of recent readings the rate of rise is fitted over. Default 60 minutes.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "06:00:00")]
    public TimeSpan EtaWindow { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>The fit needs readings spanning at least this long. Default 20 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "06:00:00")]
    public TimeSpan EtaMinSpan { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The fit needs at least this many readings. Default 5.</summary>
    [Range(3, 10_000)]
    public int EtaMinPoints { get; set; } = 5;

    /// <summary>The fit must explain this share of the variance (R²), or the rise is not steady enough to say. Default 0.8.</summary>
    [Range(0.0, 1.0)]
    public double EtaMinRSquared { get; set; } = 0.8;

    /// <summary>Rises slower than this (m/h) count as flat: no ETA. Default 0.02 m/h.</summary>
    [Range(0.0, 10.0)]
    public double EtaMinRateMPerHour { get; set; } = 0.02;

    /// <summary>An ETA further ahead than this is withheld. Default 12 hours.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "3.00:00:00")]
    public TimeSpan EtaHorizon { get; set; } = TimeSpan.FromHours(12);
}
