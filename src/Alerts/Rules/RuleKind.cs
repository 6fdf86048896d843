using System.Text.Json.Serialization;

namespace Resilience.Alerts.Rules;

/// <summary>What a rule measures; decides how a reading becomes the value compared with the thresholds.</summary>
internal enum RuleKind : byte
{
    /// <summary>The reading's value against level thresholds (water level alarm levels I/II/III).</summary>
    [JsonStringEnumMemberName("level")]
    Level = 0,

    /// <summary>Rise of the value over <see cref="AlertRule.Window"/>, in units per hour.</summary>
    [JsonStringEnumMemberName("rateOfRise")]
    RateOfRise = 1,

    /// <summary>A zone's level: the highest alarm level reached by at least k of its n gauges (see <see cref="Evaluation.ZoneLevelTracker.ZoneLevel"/>).</summary>
    [JsonStringEnumMemberName("zone")]
    Zone = 2,

    /// <summary>Rainfall accumulated over one or more windows (1 h, 3 h, 24 h by default).</summary>
    [JsonStringEnumMemberName("rainfall")]
    Rainfall = 3,

    /// <summary>The VN_AQI number the grain computes, against the bands of DOMAIN.md §1.1.</summary>
    [JsonStringEnumMemberName("airQuality")]
    AirQuality = 4,

    /// <summary>The sensor is offline: the reading carries <see cref="Evaluation.DataQualityFlags.Stale"/>.</summary>
    [JsonStringEnumMemberName("offline")]
    Offline = 5,

    /// <summary>The data are suspect: spike, flat line or out of range.</summary>
    [JsonStringEnumMemberName("suspect")]
    Suspect = 6,
}
