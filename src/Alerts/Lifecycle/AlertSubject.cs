using System.Text.Json.Serialization;
using Resilience.Alerts.Evaluation;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// What an alert is about: a sensor or a zone, with the geography CAP needs. The grain builds one per
/// activation and passes it with every transition; it is stored with the alert.
/// </summary>
internal sealed record AlertSubject
{
    /// <summary>Sensor or zone id ([a-z0-9-]{1,64}).</summary>
    public required string Id { get; init; }

    /// <summary>"sensor" or "zone".</summary>
    public string Kind { get; init; } = "sensor";

    /// <summary>Province slug (danang, hanoi …).</summary>
    public required string Province { get; init; }

    /// <summary>Display name (e.g. "Cẩm Lệ (Hàn)").</summary>
    public string? Name { get; init; }

    /// <summary>Ward, commune or named place.</summary>
    public string? Area { get; init; }

    /// <summary>The sensor's zone (sensors) or null.</summary>
    public string? Zone { get; init; }

    /// <summary>Latitude (WGS84) of a sensor.</summary>
    public double? Lat { get; init; }

    /// <summary>Longitude (WGS84) of a sensor.</summary>
    public double? Lon { get; init; }

    /// <summary>A zone's polygon as [lat, lon] pairs, closed ring.</summary>
    public IReadOnlyList<double[]>? Polygon { get; init; }

    /// <summary>
    /// The alarm levels of the subject's gauges (a gauge: its own; a zone: each of its gauges). Copied onto every
    /// alert version; not stored with the subject.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<GaugeAlarmLevels>? AlarmLevels { get; init; }

    /// <summary>
    /// The time-to-next-alarm nowcast at the moment of the transition (set by the grain per transition); carried
    /// by raise and escalation versions only.
    /// </summary>
    [JsonIgnore]
    public NextAlarm? NextAlarm { get; init; }
}
