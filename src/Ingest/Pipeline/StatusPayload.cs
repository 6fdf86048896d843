namespace Resilience.Ingest.Pipeline;

/// <summary>Parses the status payloads <c>online</c> and <c>offline</c> (exact, lowercase; DESIGN.md "MQTT topics").</summary>
internal static class StatusPayload
{
    /// <summary>Parses <paramref name="payload"/>; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out DeviceStatus status)
    {
        if (payload.SequenceEqual("online"u8))
        {
            status = DeviceStatus.Online;
            return true;
        }

        status = DeviceStatus.Offline;
        return payload.SequenceEqual("offline"u8);
    }
}
