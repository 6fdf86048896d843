using System.Globalization;
using System.Text;
using System.Xml;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Cap;

/// <summary>
/// Writes one alert version as a CAP 1.2 document (valid against CAP-v1.2.xsd): an Alert for version 1, then
/// Updates that reference every earlier version of the alert, with a Vietnamese and an English info block and
/// the zone polygon or a circle around the sensor as the area.
/// </summary>
internal static class CapDocumentWriter
{
    /// <summary>Writes <paramref name="alert"/>; <paramref name="earlier"/> are its previous versions, oldest first.</summary>
    public static byte[] Write(AlertRecord alert, IReadOnlyList<AlertRecord> earlier, CapOptions options, string? baseUrl)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(options);
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var xml = XmlWriter.Create(stream, settings))
        {
            string ns = CapMapping.Namespace;
            string sent = CapMapping.Time(alert.UpdatedAt, options.UtcOffset);
            xml.WriteStartDocument();
            xml.WriteStartElement("alert", ns);
            xml.WriteElementString("identifier", ns, CapMapping.Identifier(alert));
            xml.WriteElementString("sender", ns, options.Sender);
            xml.WriteElementString("sent", ns, sent);
            xml.WriteElementString("status", ns, "Actual");
            string messageType = CapMapping.MessageType(alert);
            xml.WriteElementString("msgType", ns, messageType);
            xml.WriteElementString("scope", ns, "Public");
            if (messageType == "Cancel")
            {
                xml.WriteElementString("note", ns, "Sent in error."); // the operator's own note stays in the console (public feed)
            }

            if (earlier.Count > 0)
            {
                var references = new StringBuilder();
                foreach (AlertRecord previous in earlier)
                {
                    if (references.Length > 0)
                    {
                        references.Append(' ');
                    }

                    references.Append(options.Sender).Append(',').Append(CapMapping.Identifier(previous)).Append(',')
                        .Append(CapMapping.Time(previous.UpdatedAt, options.UtcOffset));
                }

                xml.WriteElementString("references", ns, references.ToString());
            }

            xml.WriteElementString("incidents", ns, string.Create(CultureInfo.InvariantCulture, $"resilience-{alert.Province}-alert-{alert.Id}"));
            WriteInfo(xml, alert, options, baseUrl, english: false);
            WriteInfo(xml, alert, options, baseUrl, english: true);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteInfo(XmlWriter xml, AlertRecord alert, CapOptions options, string? baseUrl, bool english)
    {
        string ns = CapMapping.Namespace;
        (string eventVi, string eventEn) = CapMapping.Event(alert.RuleKind);
        string place = alert.Area?.Name ?? alert.Subject;
        string? area = alert.Area?.Area;
        string conditionName = (english ? alert.NameEn : alert.NameVi) ?? alert.Rule;
        string unit = CapMapping.Unit(alert.RuleKind);
        string value = alert.Value.ToString("0.##", CultureInfo.InvariantCulture);
        xml.WriteStartElement("info", ns);
        xml.WriteElementString("language", ns, english ? "en-US" : "vi-VN");
        xml.WriteElementString("category", ns, CapMapping.Category(alert.RuleKind));
        xml.WriteElementString("event", ns, english ? eventEn : eventVi);
        xml.WriteElementString("responseType", ns, CapMapping.ResponseType(alert));
        xml.WriteElementString("urgency", ns, CapMapping.Urgency(alert));
        xml.WriteElementString("severity", ns, CapMapping.Severity(alert));
        xml.WriteElementString("certainty", ns, "Observed");
        xml.WriteStartElement("eventCode", ns);
        xml.WriteElementString("valueName", ns, "resilience:rule");
        xml.WriteElementString("value", ns, alert.Rule);
        xml.WriteEndElement();
        xml.WriteElementString("effective", ns, CapMapping.Time(alert.UpdatedAt, options.UtcOffset));
        xml.WriteElementString("onset", ns, CapMapping.Time(alert.RaisedAt, options.UtcOffset));
        if (!alert.IsOpen)
        {
            xml.WriteElementString("expires", ns, CapMapping.Time(alert.UpdatedAt + options.AllClearExpiry, options.UtcOffset));
        }

        xml.WriteElementString("senderName", ns, options.SenderName);
        string headline = english
            ? (alert.IsOpen ? $"{conditionName} at {place}" : $"All clear: {conditionName} at {place}")
            : (alert.IsOpen ? $"{conditionName} tại {place}" : $"Hết cảnh báo: {conditionName} tại {place}");
        xml.WriteElementString("headline", ns, headline);
        string where = area is null ? place : $"{place} ({area})";
        string description = english
            ? $"{conditionName} at {where}: observed value {value} {unit}. Alert {alert.Id}, version {alert.Version}, state {StateName(alert.State)}."
            : $"{conditionName} tại {where}: giá trị quan trắc {value} {unit}. Cảnh báo {alert.Id}, phiên bản {alert.Version}, trạng thái {StateNameVi(alert.State)}.";
        description = description.Replace(" .", ".", StringComparison.Ordinal) + Levels(alert, english) + Nowcast(alert, options, english);
        xml.WriteElementString("description", ns, description);
        if (alert.IsOpen && alert.Severity >= AlertSeverity.Warning && alert.RuleKind is RuleKind.Level or RuleKind.Zone or RuleKind.RateOfRise or RuleKind.Rainfall)
        {
            xml.WriteElementString("instruction", ns, english
                ? "Follow the instructions of the local steering committee for disaster prevention; prepare to move people and property to safe places."
                : "Theo dõi và làm theo chỉ đạo của Ban chỉ huy phòng chống thiên tai địa phương; chuẩn bị di dời người và tài sản đến nơi an toàn.");
        }

        if (baseUrl is not null && Uri.TryCreate($"{baseUrl}/api/alerts/{alert.Id}", UriKind.Absolute, out Uri? web))
        {
            xml.WriteElementString("web", ns, web.AbsoluteUri);
        }

        WriteParameter(xml, "resilience:subject", alert.Subject);
        WriteParameter(xml, "resilience:severity", alert.Severity.ToString().ToLowerInvariant());
        WriteParameter(xml, "resilience:state", StateName(alert.State));
        WriteParameter(xml, "resilience:value", alert.Value.ToString("R", CultureInfo.InvariantCulture));
        if (alert.Level is not null)
        {
            WriteParameter(xml, "resilience:level", alert.Level);
        }

        WriteParameter(xml, "resilience:version", alert.Version.ToString(CultureInfo.InvariantCulture));
        foreach (GaugeAlarmLevels levels in alert.AlarmLevels ?? [])
        {
            WriteParameter(xml, "resilience:alarmLevels", string.Create(
                CultureInfo.InvariantCulture,
                $"gauge={levels.GaugeId}; I={Metres(levels.I)}; II={Metres(levels.II)}; III={Metres(levels.III)}; unit=m; verified={(levels.Verified ? "true" : "false")}; source={levels.Source}"));
        }

        if (alert.IsOpen && alert.NextAlarm is { } next)
        {
            WriteParameter(xml, "resilience:nextAlarm", string.Create(
                CultureInfo.InvariantCulture,
                $"level={next.LevelName}; thresholdM={next.ThresholdM}; rateMPerHour={next.RateMPerHour}; etaSeconds={next.EtaSeconds}; at={CapMapping.Time(next.At, options.UtcOffset)}; gauge={next.GaugeId}"));
        }

        WriteArea(xml, alert, options, where);
        xml.WriteEndElement();
    }

    private static string Metres(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "unknown";

    // One gauge: its thresholds in words, so a reader of the description alone sees "I 2.5, II 3.5, III 4.5 (unverified)".
    private static string Levels(AlertRecord alert, bool english)
    {
        if (alert.AlarmLevels is not [GaugeAlarmLevels l])
        {
            return string.Empty;
        }

        string unknown = english ? "unknown" : "chưa rõ";
        string Text(double? v) => v is { } m ? m.ToString("0.##", CultureInfo.InvariantCulture) + " m" : unknown;
        return english
            ? $" Alarm levels: I {Text(l.I)}, II {Text(l.II)}, III {Text(l.III)} (source: {l.Source}; {(l.Verified ? "verified" : "unverified")})."
            : $" Mức báo động: I {Text(l.I)}, II {Text(l.II)}, III {Text(l.III)} (nguồn: {l.Source}; {(l.Verified ? "đã kiểm chứng" : "chưa kiểm chứng")}).";
    }

    private static string Nowcast(AlertRecord alert, CapOptions options, bool english)
    {
        if (!alert.IsOpen || alert.NextAlarm is not { } next)
        {
            return string.Empty;
        }

        string rate = next.RateMPerHour.ToString("0.0#", CultureInfo.InvariantCulture);
        string at = (next.At.ToOffset(options.UtcOffset)).ToString("HH:mm", CultureInfo.InvariantCulture);
        return english
            ? $" At {rate} m/h, alarm {next.LevelName} in about {next.DurationEn()} (around {at}, if the rise continues)."
            : $" Với tốc độ lên {rate.Replace('.', ',')} m/giờ, dự kiến đạt báo động {next.LevelName} sau khoảng {next.DurationVi()} (khoảng {at}, nếu nước tiếp tục lên).";
    }

    private static void WriteParameter(XmlWriter xml, string name, string value)
    {
        string ns = CapMapping.Namespace;
        xml.WriteStartElement("parameter", ns);
        xml.WriteElementString("valueName", ns, name);
        xml.WriteElementString("value", ns, value);
        xml.WriteEndElement();
    }

    private static void WriteArea(XmlWriter xml, AlertRecord alert, CapOptions options, string description)
    {
        string ns = CapMapping.Namespace;
        xml.WriteStartElement("area", ns);
        xml.WriteElementString("areaDesc", ns, description);
        IReadOnlyList<double[]>? polygon = alert.Area?.Polygon;
        if (polygon is { Count: >= 3 })
        {
            var text = new StringBuilder();
            foreach (double[] point in polygon)
            {
                AppendPoint(text, point[0], point[1]);
            }

            double[] first = polygon[0];
            double[] last = polygon[^1];
            if (first[0] != last[0] || first[1] != last[1] || polygon.Count == 3)
            {
                AppendPoint(text, first[0], first[1]); // CAP: a closed ring of at least four points
            }

            xml.WriteElementString("polygon", ns, text.ToString());
        }
        else if (alert.Area is { Lat: { } lat, Lon: { } lon })
        {
            xml.WriteElementString("circle", ns, string.Create(CultureInfo.InvariantCulture, $"{lat},{lon} {options.CircleRadiusKm}"));
        }

        xml.WriteEndElement();
    }

    private static void AppendPoint(StringBuilder text, double lat, double lon)
    {
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(lat.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(lon.ToString("R", CultureInfo.InvariantCulture));
    }

    private static string StateName(AlertState state) => state switch
    {
        AlertState.Raised => "raised",
        AlertState.Escalated => "escalated",
        AlertState.Deescalated => "deescalated",
        AlertState.Acknowledged => "acknowledged",
        _ => "resolved",
    };

    private static string StateNameVi(AlertState state) => state switch
    {
        AlertState.Raised => "mới phát",
        AlertState.Escalated => "tăng cấp",
        AlertState.Deescalated => "giảm cấp",
        AlertState.Acknowledged => "đã tiếp nhận",
        _ => "đã kết thúc",
    };
}
