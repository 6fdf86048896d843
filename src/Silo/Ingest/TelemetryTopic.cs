namespace Resilience.Silo.Ingest;

/// <summary>Parses <c>sensors/{province}/{sensorId}/telemetry|status</c> without allocating.</summary>
internal static class TelemetryTopic
{
    /// <summary>The message kinds of a sensor topic.</summary>
    public enum Kind
    {
        /// <summary><c>…/telemetry</c>.</summary>
        Telemetry,

        /// <summary><c>…/status</c>.</summary>
        Status,
    }

    /// <summary>Splits a topic; false for anything that is not a sensor topic.</summary>
    public static bool TryParse(ReadOnlySpan<byte> topic, out ReadOnlySpan<byte> province, out ReadOnlySpan<byte> sensorId, out Kind kind)
    {
        province = default;
        sensorId = default;
        kind = default;
        if (!topic.StartsWith("sensors/"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = topic[8..];
        int a = rest.IndexOf((byte)'/');
        if (a <= 0)
        {
            return false;
        }

        province = rest[..a];
        rest = rest[(a + 1)..];
        int b = rest.IndexOf((byte)'/');
        if (b <= 0 || b > 64)
        {
            return false;
        }

        sensorId = rest[..b];
        ReadOnlySpan<byte> tail = rest[(b + 1)..];
        if (tail.SequenceEqual("telemetry"u8))
        {
            kind = Kind.Telemetry;
            return true;
        }

        if (tail.SequenceEqual("status"u8))
        {
            kind = Kind.Status;
            return true;
        }

        return false;
    }
}
