using System.Text;
using System.Text.Unicode;

namespace Resilience.Ingest.Mqtt.Packets;

/// <summary>UTF-8 rules for MQTT strings (3.1.1 §1.5.3, 5.0 §1.5.4).</summary>
internal static class MqttUtf8
{
    /// <summary>
    /// True when <paramref name="bytes"/> is well-formed UTF-8 (no overlong forms, no surrogate code points,
    /// nothing above U+10FFFF) and contains no U+0000. Control characters and non-characters are SHOULD-NOTs
    /// in the spec and are accepted.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) => !bytes.Contains((byte)0) && Utf8.IsValid(bytes);

    public static void ThrowIfInvalid(ReadOnlySpan<byte> bytes)
    {
        if (!IsValid(bytes))
        {
            MqttProtocolException.ThrowMalformed("String is not well-formed UTF-8 or contains U+0000.");
        }
    }

    /// <summary>Decodes a validated string (allocates; for CONNECT/SUBSCRIBE, never on the PUBLISH path).</summary>
    public static string GetString(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
