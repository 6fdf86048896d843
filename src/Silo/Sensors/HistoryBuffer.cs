using System.Buffers.Binary;
using Resilience.Ingest.Pipeline;

namespace Resilience.Silo.Sensors;

/// <summary>
/// The last hour of in-order values of one sensor: 12 bytes per value (seconds since a base time, quantity,
/// float value) in one growing array, oldest first, trimmed to the window on append. Packs to bytes for state.
/// </summary>
internal sealed class HistoryBuffer
{
    private const int EntrySize = 13;
    private const int MaxEntries = 8192;

    private Entry[] _entries = [];
    private int _count;
    private long _baseSeconds;

    /// <summary>Number of values held.</summary>
    public int Count => _count;

    /// <summary>Appends a value (time-ordered) and drops values older than <paramref name="window"/>.</summary>
    public void Append(long tsMs, Quantity quantity, double value, TimeSpan window)
    {
        long seconds = tsMs / 1000;
        if (_count == 0)
        {
            _baseSeconds = seconds;
        }

        long cutoff = seconds - (long)window.TotalSeconds;
        if (_count == _entries.Length || (_count > 0 && _baseSeconds + _entries[0].Offset < cutoff && _count >= _entries.Length / 2))
        {
            Trim(cutoff);
        }

        if (_count == _entries.Length)
        {
            if (_entries.Length >= MaxEntries)
            {
                Array.Copy(_entries, 1, _entries, 0, _count - 1);
                _count--;
            }
            else
            {
                // From one entry up: most activations of a 100,000-sensor silo hold one or a few values (an idle grain
                // pays 12 bytes, not 48); a busy one reaches its hour's size in a few doublings.
                Array.Resize(ref _entries, Math.Max(1, _entries.Length * 2));
            }
        }

        long offset = seconds - _baseSeconds;
        if (offset > int.MaxValue)
        {
            Rebase(seconds);
            offset = 0;
        }

        _entries[_count++] = new Entry((int)offset, quantity, (float)value);
    }

    /// <summary>Copies out the values newer than <paramref name="sinceMs"/>, oldest first.</summary>
    public HistorySample[] Snapshot(long sinceMs)
    {
        int first = 0;
        while (first < _count && (_baseSeconds + _entries[first].Offset) * 1000 < sinceMs)
        {
            first++;
        }

        var samples = new HistorySample[_count - first];
        for (int i = first; i < _count; i++)
        {
            samples[i - first] = new HistorySample((_baseSeconds + _entries[i].Offset) * 1000, _entries[i].Quantity, _entries[i].Value);
        }

        return samples;
    }

    /// <summary>Serializes the values newer than <paramref name="sinceMs"/>.</summary>
    public byte[]? Pack(long sinceMs)
    {
        if (_count == 0)
        {
            return null;
        }

        var bytes = new byte[8 + (_count * EntrySize)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, _baseSeconds);
        int n = 0;
        for (int i = 0; i < _count; i++)
        {
            if ((_baseSeconds + _entries[i].Offset) * 1000 < sinceMs)
            {
                continue;
            }

            Span<byte> e = bytes.AsSpan(8 + (n * EntrySize), EntrySize);
            BinaryPrimitives.WriteInt32LittleEndian(e, _entries[i].Offset);
            e[4] = (byte)_entries[i].Quantity;
            BinaryPrimitives.WriteSingleLittleEndian(e[5..], _entries[i].Value);
            n++;
        }

        return n == 0 ? null : bytes.AsSpan(0, 8 + (n * EntrySize)).ToArray();
    }

    /// <summary>Restores from <see cref="Pack"/> output.</summary>
    public static HistoryBuffer Unpack(byte[]? bytes)
    {
        var h = new HistoryBuffer();
        if (bytes is null || bytes.Length < 8)
        {
            return h;
        }

        h._baseSeconds = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        int n = (bytes.Length - 8) / EntrySize;
        h._entries = new Entry[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> e = bytes.AsSpan(8 + (i * EntrySize), EntrySize);
            h._entries[i] = new Entry(BinaryPrimitives.ReadInt32LittleEndian(e), (Quantity)e[4], BinaryPrimitives.ReadSingleLittleEndian(e[5..]));
        }

        h._count = n;
        return h;
    }

    private void Trim(long cutoffSeconds)
    {
        int drop = 0;
        while (drop < _count && _baseSeconds + _entries[drop].Offset < cutoffSeconds)
        {
            drop++;
        }

        if (drop > 0)
        {
            Array.Copy(_entries, drop, _entries, 0, _count - drop);
            _count -= drop;
        }
    }

    private void Rebase(long newBaseSeconds)
    {
        for (int i = 0; i < _count; i++)
        {
            _entries[i] = _entries[i] with { Offset = (int)(_baseSeconds + _entries[i].Offset - newBaseSeconds) };
        }

        _baseSeconds = newBaseSeconds;
    }

    private readonly record struct Entry(int Offset, Quantity Quantity, float Value);
}
