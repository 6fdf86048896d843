using System.Text.Json.Serialization;

namespace Resilience.Alerts.Rules;

/// <summary>
/// Alert severities, ordered so that a larger value is more severe. <see cref="None"/> means "no alert".
/// The JSON names are the lowercase member names (docs/architecture.md, HTTP API shapes).
/// </summary>
internal enum AlertSeverity : byte
{
    /// <summary>No alert (the condition is clear).</summary>
    [JsonStringEnumMemberName("none")]
    None = 0,

    /// <summary>Informational.</summary>
    [JsonStringEnumMemberName("info")]
    Info = 1,

    /// <summary>Minor (e.g. alarm level I).</summary>
    [JsonStringEnumMemberName("minor")]
    Minor = 2,

    /// <summary>Warning (e.g. alarm level II).</summary>
    [JsonStringEnumMemberName("warning")]
    Warning = 3,

    /// <summary>Severe (e.g. alarm level III).</summary>
    [JsonStringEnumMemberName("severe")]
    Severe = 4,

    /// <summary>Extreme (above every configured level).</summary>
    [JsonStringEnumMemberName("extreme")]
    Extreme = 5,
}
