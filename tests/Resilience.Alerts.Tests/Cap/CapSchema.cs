using System.Xml;
using System.Xml.Schema;

namespace Resilience.Alerts.Tests.Cap;

/// <summary>Validates documents against the embedded OASIS CAP 1.2 schema.</summary>
internal static class CapSchema
{
    private static readonly Lazy<XmlSchemaSet> s_schemas = new(() =>
    {
        using Stream stream = typeof(CapSchema).Assembly.GetManifestResourceStream("CAP-v1.2.xsd")
            ?? throw new InvalidOperationException("CAP-v1.2.xsd is not embedded.");
        var set = new XmlSchemaSet();
        using var reader = XmlReader.Create(stream);
        set.Add("urn:oasis:names:tc:emergency:cap:1.2", reader);
        set.Compile();
        return set;
    });

    /// <summary>Returns every validation error (empty when valid).</summary>
    public static List<string> Validate(byte[] document)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = s_schemas.Value };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using var reader = XmlReader.Create(new MemoryStream(document), settings);
        while (reader.Read())
        {
        }

        return errors;
    }
}
