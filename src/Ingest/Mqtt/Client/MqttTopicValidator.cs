using System.Text;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>Checks topic names and filters before they reach the wire (MQTT 5.0 §4.7, §4.8.2, §1.5.4).</summary>
public static class MqttTopicValidator
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// True when <paramref name="topic"/> can be published to: non-empty, no '+' or '#', no U+0000, no lone
    /// surrogate, at most 65,535 UTF-8 bytes.
    /// </summary>
    public static bool IsValidTopicName(string? topic)
        => !string.IsNullOrEmpty(topic) && MqttTopic.IsValidName(topic.AsSpan()) && IsValidString(topic);

    /// <summary>
    /// True when <paramref name="filter"/> can be subscribed to: '#' only as the whole last level, '+' only as
    /// a whole level, and for <c>$share/{group}/{filter}</c> a non-empty group without wildcards or '/' followed
    /// by a valid filter.
    /// </summary>
    public static bool IsValidFilter(string? filter)
    {
        if (string.IsNullOrEmpty(filter) || !IsValidString(filter))
        {
            return false;
        }

        if (MqttTopic.TrySplitShared(filter, out string group, out string inner))
        {
            return group.Length > 0 && MqttTopic.IsValidFilter(inner.AsSpan());
        }

        return MqttTopic.IsValidFilter(filter.AsSpan());
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when the topic name is invalid.</summary>
    public static void ThrowIfInvalidTopicName(string? topic, string paramName)
    {
        if (!IsValidTopicName(topic))
        {
            throw new ArgumentException($"'{topic}' is not a valid MQTT topic name (empty, a wildcard, U+0000 or too long).", paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the parameter when the filter is invalid.</summary>
    public static void ThrowIfInvalidFilter(string? filter, string paramName)
    {
        if (!IsValidFilter(filter))
        {
            throw new ArgumentException($"'{filter}' is not a valid MQTT topic filter.", paramName);
        }
    }

    private static bool IsValidString(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return s_strict.GetByteCount(value) <= ushort.MaxValue;
        }
        catch (EncoderFallbackException)
        {
            return false; // a lone surrogate has no UTF-8 form
        }
    }
}
