using System.Text;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Parses <c>sensors/{province}/{sensorId}/telemetry|status</c> on the topic's UTF-8 bytes (DESIGN.md "MQTT
/// topics"). The province must be one of the configured slugs and the id must match <c>[a-z0-9-]{1,64}</c>;
/// the only allocation is a sensor id seen for the first time.
/// </summary>
internal sealed class TopicParser
{
    /// <summary>The longest sensor id accepted.</summary>
    public const int MaxSensorIdLength = 64;

    private readonly byte[][] _provinceBytes;
    private readonly string[] _provinces;
    private readonly SensorIdCache _ids;

    /// <summary>Creates a parser accepting <paramref name="provinces"/> (lowercase slugs).</summary>
    public TopicParser(IEnumerable<string> provinces, int sensorIdCacheCapacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(provinces);
        _provinces = [.. provinces];
        _provinceBytes = new byte[_provinces.Length][];
        for (int i = 0; i < _provinces.Length; i++)
        {
            _provinceBytes[i] = Encoding.UTF8.GetBytes(_provinces[i]);
        }

        _ids = new SensorIdCache(sensorIdCacheCapacity);
    }

    /// <summary>The interned-id cache (for diagnostics).</summary>
    public SensorIdCache SensorIds => _ids;

    /// <summary>Parses a topic; returns <see cref="DeadLetterReason.None"/> and the parts, or why it is rejected.</summary>
    public DeadLetterReason TryParse(ReadOnlySpan<byte> topic, out DeviceTopic result)
    {
        result = default;
        ReadOnlySpan<byte> prefix = "sensors/"u8;
        if (!topic.StartsWith(prefix))
        {
            return DeadLetterReason.BadTopic;
        }

        ReadOnlySpan<byte> rest = topic[prefix.Length..];
        int slash = rest.IndexOf((byte)'/');
        if (slash <= 0)
        {
            return DeadLetterReason.BadTopic;
        }

        ReadOnlySpan<byte> province = rest[..slash];
        rest = rest[(slash + 1)..];
        slash = rest.IndexOf((byte)'/');
        if (slash < 0)
        {
            return DeadLetterReason.BadTopic;
        }

        ReadOnlySpan<byte> sensorId = rest[..slash];
        ReadOnlySpan<byte> kindBytes = rest[(slash + 1)..];
        TopicKind kind;
        if (kindBytes.SequenceEqual("telemetry"u8))
        {
            kind = TopicKind.Telemetry;
        }
        else if (kindBytes.SequenceEqual("status"u8))
        {
            kind = TopicKind.Status;
        }
        else
        {
            return DeadLetterReason.BadTopic;
        }

        string? provinceName = null;
        for (int i = 0; i < _provinceBytes.Length; i++)
        {
            if (province.SequenceEqual(_provinceBytes[i]))
            {
                provinceName = _provinces[i];
                break;
            }
        }

        if (provinceName is null)
        {
            return DeadLetterReason.UnknownProvince;
        }

        if (!IsValidSensorId(sensorId))
        {
            return DeadLetterReason.BadSensorId;
        }

        result = new DeviceTopic(kind, provinceName, _ids.GetOrAdd(sensorId));
        return DeadLetterReason.None;
    }

    /// <summary>True when <paramref name="id"/> matches <c>[a-z0-9-]{1,64}</c>.</summary>
    public static bool IsValidSensorId(ReadOnlySpan<byte> id)
    {
        if ((uint)(id.Length - 1) >= MaxSensorIdLength)
        {
            return false;
        }

        foreach (byte b in id)
        {
            bool ok = (uint)(b - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
