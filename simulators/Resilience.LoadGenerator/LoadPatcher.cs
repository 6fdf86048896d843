using System.Buffers.Binary;

namespace Resilience.LoadGenerator;

/// <summary>Turns a sensor's template into its next message in place: sequence number, time, a varying value.</summary>
internal static class LoadPatcher
{
    /// <summary>Patches <paramref name="packet"/> (a copy of <see cref="LoadTemplate.Packet"/>) for the next message of <paramref name="t"/>.</summary>
    public static void Next(LoadTemplate t, Span<byte> packet, long nowMs, long sentSoFar)
    {
        long seq = ++t.Seq;
        LoadTemplate.WriteDigits(packet[t.SeqOffset..], seq, LoadTemplate.SeqWidth, (byte)' ');
        if (t.TsOffset >= 0)
        {
            // A device's readings carry distinct times: InfluxDB keeps one point per series and
            // timestamp, so two readings of one sensor in the same millisecond would overwrite each other.
            long ts = Math.Max(nowMs, t.LastTs + 1);
            t.LastTs = ts;
            LoadTemplate.WriteDigits(packet[t.TsOffset..], ts, LoadTemplate.TsWidth, (byte)'0');
        }

        packet[t.ValueOffset + 2] = (byte)('0' + (seq % 10));
        packet[t.ValueOffset + 4] = (byte)('0' + ((seq / 10) % 10));
        if (t.PacketIdOffset >= 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[t.PacketIdOffset..], (ushort)((sentSoFar % 65535) + 1));
        }
    }
}
