using System.Globalization;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Cap;

/// <summary>
/// How an alert version maps onto CAP 1.2 values (DOMAIN.md §4; documented in docs/architecture.md):
/// category Met for floods and rain, Env for air quality, Infra for sensor faults; certainty Observed (the
/// values are measured); severity minor/info → Minor, warning → Moderate, severe → Severe, extreme → Extreme;
/// urgency Immediate from warning up, Expected below; an ended alert is an Update with responseType AllClear,
/// urgency Past, severity Minor and expiry one hour after sending (MET Norway practice); Cancel only for
/// alerts resolved as mistaken.
/// </summary>
internal static class CapMapping
{
    /// <summary>CAP 1.2 namespace.</summary>
    public const string Namespace = "urn:oasis:names:tc:emergency:cap:1.2";

    /// <summary>CAP <c>category</c>.</summary>
    public static string Category(RuleKind kind) => kind switch
    {
        RuleKind.AirQuality => "Env",
        RuleKind.Offline or RuleKind.Suspect => "Infra",
        _ => "Met",
    };

    /// <summary>CAP <c>event</c> (Vietnamese, English).</summary>
    public static (string Vi, string En) Event(RuleKind kind) => kind switch
    {
        RuleKind.Rainfall => ("Mưa lớn", "Heavy rain"),
        RuleKind.AirQuality => ("Ô nhiễm không khí", "Air pollution"),
        RuleKind.Offline or RuleKind.Suspect => ("Sự cố trạm quan trắc", "Monitoring station fault"),
        _ => ("Lũ", "Flood"),
    };

    /// <summary>CAP <c>severity</c>.</summary>
    public static string Severity(AlertRecord alert) => !alert.IsOpen ? "Minor" : alert.Severity switch
    {
        AlertSeverity.Extreme => "Extreme",
        AlertSeverity.Severe => "Severe",
        AlertSeverity.Warning => "Moderate",
        AlertSeverity.Minor or AlertSeverity.Info => "Minor",
        _ => "Unknown",
    };

    /// <summary>CAP <c>urgency</c>.</summary>
    public static string Urgency(AlertRecord alert) => !alert.IsOpen ? "Past" : alert.Severity >= AlertSeverity.Warning ? "Immediate" : "Expected";

    /// <summary>CAP <c>responseType</c>.</summary>
    public static string ResponseType(AlertRecord alert)
    {
        if (!alert.IsOpen)
        {
            return "AllClear";
        }

        return alert.RuleKind switch
        {
            RuleKind.AirQuality => "Avoid",
            RuleKind.Offline or RuleKind.Suspect => "Monitor",
            _ => alert.Severity >= AlertSeverity.Warning ? "Prepare" : "Monitor",
        };
    }

    /// <summary>CAP <c>msgType</c>.</summary>
    public static string MessageType(AlertRecord alert) =>
        alert.Mistaken && !alert.IsOpen ? "Cancel" : alert.Version <= 1 ? "Alert" : "Update";

    /// <summary>A CAP time: seconds precision with an explicit offset (+07:00 by default), never "Z".</summary>
    public static string Time(DateTimeOffset value, TimeSpan offset) =>
        value.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The CAP identifier of one alert version (no spaces, commas or reserved characters).</summary>
    public static string Identifier(AlertRecord alert) =>
        string.Create(CultureInfo.InvariantCulture, $"resilience-{Slug(alert.Province)}-alert-{alert.Id}-v{alert.Version}");

    /// <summary>The unit of a rule's value, for descriptions.</summary>
    public static string Unit(RuleKind kind) => kind switch
    {
        RuleKind.Level => "m",
        RuleKind.RateOfRise => "m/h",
        RuleKind.Rainfall => "mm",
        RuleKind.AirQuality => "VN_AQI",
        _ => "",
    };

    private static string Slug(string value)
    {
        Span<char> buffer = value.Length <= 64 ? stackalloc char[value.Length] : new char[value.Length];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-';
        }

        return new string(buffer);
    }
}
