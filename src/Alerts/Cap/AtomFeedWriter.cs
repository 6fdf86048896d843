using System.Globalization;
using System.Text;
using System.Xml;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Cap;

/// <summary>
/// The Atom index of alerts (OASIS "CAP Feeds" mapping, DOMAIN.md §4): one entry per alert at its latest
/// version, whose alternate link (type application/cap+xml) is the full CAP document at <c>/alerts/{id}.cap</c>.
/// </summary>
internal static class AtomFeedWriter
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    /// <summary>Writes the feed for <paramref name="alerts"/> (open first, then the latest closed ones).</summary>
    public static byte[] Write(IReadOnlyList<AlertRecord> alerts, CapOptions options, string baseUrl, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(options);
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var xml = XmlWriter.Create(stream, settings))
        {
            DateTimeOffset updated = now;
            if (alerts.Count > 0)
            {
                updated = alerts[0].UpdatedAt;
                foreach (AlertRecord alert in alerts)
                {
                    if (alert.UpdatedAt > updated)
                    {
                        updated = alert.UpdatedAt;
                    }
                }
            }

            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNamespace);
            xml.WriteElementString("id", AtomNamespace, $"{baseUrl}/alerts/feed.atom");
            xml.WriteElementString("title", AtomNamespace, $"{options.SenderName}: cảnh báo / alerts (CAP 1.2)");
            xml.WriteElementString("updated", AtomNamespace, Time(updated, options));
            xml.WriteStartElement("author", AtomNamespace);
            xml.WriteElementString("name", AtomNamespace, options.SenderName);
            xml.WriteEndElement();
            WriteLink(xml, "self", "application/atom+xml", $"{baseUrl}/alerts/feed.atom");
            foreach (AlertRecord alert in alerts)
            {
                string cap = string.Create(CultureInfo.InvariantCulture, $"{baseUrl}/alerts/{alert.Id}.cap");
                xml.WriteStartElement("entry", AtomNamespace);
                xml.WriteElementString("id", AtomNamespace, string.Create(CultureInfo.InvariantCulture, $"{cap}?version={alert.Version}"));
                string place = alert.Area?.Name ?? alert.Subject;
                string title = alert.IsOpen ? $"{alert.NameEn ?? alert.Rule} at {place} / {alert.NameVi ?? alert.Rule} tại {place}"
                    : $"All clear: {alert.NameEn ?? alert.Rule} at {place} / Hết cảnh báo: {alert.NameVi ?? alert.Rule} tại {place}";
                xml.WriteElementString("title", AtomNamespace, title);
                xml.WriteElementString("published", AtomNamespace, Time(alert.RaisedAt, options));
                xml.WriteElementString("updated", AtomNamespace, Time(alert.UpdatedAt, options));
                xml.WriteStartElement("author", AtomNamespace);
                xml.WriteElementString("name", AtomNamespace, options.SenderName);
                xml.WriteEndElement();
                xml.WriteElementString("summary", AtomNamespace, string.Create(CultureInfo.InvariantCulture,
                    $"{CapMapping.Event(alert.RuleKind).En}; severity {CapMapping.Severity(alert)}; urgency {CapMapping.Urgency(alert)}; certainty Observed; {alert.Province}/{alert.Subject}; version {alert.Version}"));
                xml.WriteStartElement("category", AtomNamespace);
                xml.WriteAttributeString("term", CapMapping.Category(alert.RuleKind));
                xml.WriteEndElement();
                WriteLink(xml, "alternate", "application/cap+xml", cap);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static string Time(DateTimeOffset value, CapOptions options) => CapMapping.Time(value, options.UtcOffset);

    private static void WriteLink(XmlWriter xml, string rel, string type, string href)
    {
        xml.WriteStartElement("link", AtomNamespace);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }
}
