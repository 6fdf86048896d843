using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Resilience.Ingest.Storage;

/// <summary>
/// The durable spool: an append-only log of batches in segment files (<c>{id:D12}.seg</c>) plus a small
/// <c>ack</c> file holding the committed read position. Each record is
/// <c>[magic u32][payload length u32][line count u32][CRC-32C u32][payload]</c>, little-endian; the checksum covers
/// the line count and the payload, so a record torn by a crash (or damaged on disk) is detected and dropped.
/// </summary>
/// <remarks>
/// One lock guards everything: appends come from the router (and senders falling back), reads and acks from the
/// single drainer; all I/O is synchronous under the lock and nothing awaits while holding it. Records are
/// replayed strictly in append order. Replaying a record whose ack was lost in a crash re-sends identical points,
/// which InfluxDB overwrites (same series and timestamp), so this is at-least-once without duplicate points.
/// </remarks>
internal sealed class SegmentSpool : IDisposable
{
    /// <summary>Bytes of a record header.</summary>
    public const int HeaderSize = 16;

    private const uint Magic = 0x31505352; // "RSP1"
    private const string SegmentExtension = ".seg";

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly SpoolFullPolicy _policy;
    private readonly SpoolDurability _durability;
    private readonly SortedDictionary<long, long> _segments = []; // id -> length
    private readonly FileStream _ackFile;
    private readonly byte[] _header = new byte[HeaderSize];
    private FileStream? _tail;
    private long _tailId;
    private FileStream? _head;
    private FileStream? _cursorStream;
    private long _cursorStreamId;
    private long _headId;
    private long _headOffset;
    private long _usedBytes;
    private long _records;
    private long _droppedLines;
    private long _corruptRecords;
    private bool _dirty;
    private bool _disposed;

    /// <summary>Opens (or creates) the spool in <paramref name="directory"/>, dropping a torn last record.</summary>
    public SegmentSpool(string directory, long maxBytes, long segmentBytes, SpoolFullPolicy policy, SpoolDurability durability)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _segmentBytes = segmentBytes;
        _policy = policy;
        _durability = durability;
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                _segments[id] = new FileInfo(file).Length;
            }
        }

        _ackFile = new FileStream(Path.Combine(directory, "ack"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        (long ackId, long ackOffset) = ReadAck();
        foreach (long id in _segments.Keys.Where(id => id < ackId).ToList())
        {
            File.Delete(SegmentPath(id));
            _segments.Remove(id);
        }

        if (_segments.Count == 0)
        {
            _segments[Math.Max(ackId, 1)] = 0;
            ackOffset = 0;
        }

        _headId = _segments.Keys.First();
        _headOffset = _headId == ackId ? Math.Min(ackOffset, _segments[_headId]) : 0;
        _tailId = _segments.Keys.Last();
        _tail = OpenSegment(_tailId);
        TornTailRecovery();
        _usedBytes = _segments.Values.Sum() - _headOffset;
        _records = CountRecords();
    }

    /// <summary>Bytes of records not yet acknowledged.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_gate)
            {
                return _usedBytes;
            }
        }
    }

    /// <summary>True when every record has been acknowledged (or dropped).</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _usedBytes == 0;
            }
        }
    }

    /// <summary>Records waiting (approximate after a restart with torn data).</summary>
    public long PendingRecords
    {
        get
        {
            lock (_gate)
            {
                return _records;
            }
        }
    }

    /// <summary>Lines dropped by <see cref="SpoolFullPolicy.DropOldest"/> or lost to corrupt records.</summary>
    public long DroppedLines
    {
        get
        {
            lock (_gate)
            {
                return _droppedLines;
            }
        }
    }

    /// <summary>Records found torn or corrupt (at start or on read).</summary>
    public long CorruptRecords
    {
        get
        {
            lock (_gate)
            {
                return _corruptRecords;
            }
        }
    }

    /// <summary>Pulsed when records are appended.</summary>
    public AsyncSignal DataAvailable { get; } = new();

    /// <summary>Pulsed when space is freed.</summary>
    public AsyncSignal SpaceAvailable { get; } = new();

    /// <summary>
    /// Appends one batch. Returns false only under <see cref="SpoolFullPolicy.Block"/> when it does not fit
    /// (wait for <see cref="SpaceAvailable"/>). Under <see cref="SpoolFullPolicy.DropOldest"/> old records give way.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<byte> payload, int lines)
    {
        long size = HeaderSize + payload.Length;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (_usedBytes > 0 && _usedBytes + size > _maxBytes)
            {
                if (_policy == SpoolFullPolicy.Block)
                {
                    return false;
                }

                DropHeadRecordLocked();
            }

            if (_segments[_tailId] > 0 && _segments[_tailId] + size > _segmentBytes)
            {
                RollLocked();
            }

            Span<byte> header = _header;
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], lines);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Checksum(lines, payload));
            FileStream tail = _tail!;
            tail.Position = _segments[_tailId];
            tail.Write(header);
            tail.Write(payload);
            if (_durability == SpoolDurability.FsyncPerBatch)
            {
                tail.Flush(flushToDisk: true);
            }
            else
            {
                _dirty = true;
            }

            _segments[_tailId] += size;
            _usedBytes += size;
            _records++;
        }

        DataAvailable.Pulse();
        return true;
    }

    /// <summary>fsyncs appended records not yet synced (for <see cref="SpoolDurability.Flush"/>).</summary>
    public void Sync()
    {
        lock (_gate)
        {
            if (_dirty && !_disposed)
            {
                _tail!.Flush(flushToDisk: true);
                _dirty = false;
            }
        }
    }

    /// <summary>
    /// Reads the oldest unacknowledged record into <paramref name="into"/>; false when the spool is empty.
    /// Corrupt records met on the way are skipped and counted.
    /// </summary>
    public bool TryPeek(WriteBatch into, out SpoolPosition position)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (true)
            {
                if (!AdvanceHeadSegmentLocked())
                {
                    position = default;
                    return false;
                }

                if (TryReadLocked(_headId, _headOffset, into, out int lines, out long size))
                {
                    position = new SpoolPosition(_headId, _headOffset, size);
                    into.Lines = lines;
                    return true;
                }

                // Corrupt: the length cannot be trusted, so the rest of this segment is lost.
                _corruptRecords++;
                DropRestOfHeadSegmentLocked();
            }
        }
    }

    /// <summary>
    /// Reads the record at <paramref name="cursor"/> (default: the oldest unacknowledged one) and moves the cursor
    /// past it, so that several records can be in flight; acknowledge them in order with <see cref="Ack"/>.
    /// A cursor left behind by dropped records restarts at the head.
    /// </summary>
    public bool TryReadNext(ref SpoolPosition cursor, WriteBatch into, out SpoolPosition position)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            position = default;
            while (true)
            {
                if (!AdvanceHeadSegmentLocked())
                {
                    return false;
                }

                if (cursor.Segment < _headId || (cursor.Segment == _headId && cursor.Offset < _headOffset))
                {
                    cursor = new SpoolPosition(_headId, _headOffset, 0);
                }

                while (cursor.Offset >= _segments[cursor.Segment])
                {
                    if (cursor.Segment >= _tailId)
                    {
                        return false;
                    }

                    long next = cursor.Segment + 1;
                    while (!_segments.ContainsKey(next) && next < _tailId)
                    {
                        next++;
                    }

                    cursor = new SpoolPosition(next, 0, 0);
                }

                if (TryReadLocked(cursor.Segment, cursor.Offset, into, out int lines, out long size))
                {
                    position = new SpoolPosition(cursor.Segment, cursor.Offset, size);
                    into.Lines = lines;
                    cursor = new SpoolPosition(cursor.Segment, cursor.Offset + size, 0);
                    return true;
                }

                if (cursor.Segment != _headId || cursor.Offset != _headOffset)
                {
                    // Corrupt ahead of the head: handled once every record before it is acknowledged.
                    return false;
                }

                _corruptRecords++;
                DropRestOfHeadSegmentLocked();
            }
        }
    }

    /// <summary>Acknowledges the record read at <paramref name="position"/> (no-op if it was dropped meanwhile).</summary>
    public void Ack(SpoolPosition position)
    {
        lock (_gate)
        {
            if (_disposed || position.Segment != _headId || position.Offset != _headOffset)
            {
                return;
            }

            _headOffset += position.Size;
            _usedBytes -= position.Size;
            _records--;
            AdvanceHeadSegmentLocked();
            WriteAckLocked();
        }

        SpaceAvailable.Pulse();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_dirty)
            {
                _tail?.Flush(flushToDisk: true);
            }

            _tail?.Dispose();
            _head?.Dispose();
            _cursorStream?.Dispose();
            _ackFile.Dispose();
        }

        SpaceAvailable.Pulse();
        DataAvailable.Pulse();
    }

    private static uint Checksum(int lines, ReadOnlySpan<byte> payload)
    {
        uint crc = BitOperations.Crc32C(0xFFFFFFFFu, (uint)lines);
        int i = 0;
        for (; i + 8 <= payload.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(payload[i..]));
        }

        for (; i < payload.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, payload[i]);
        }

        return ~crc;
    }

    private string SegmentPath(long id) => Path.Combine(_directory, id.ToString("D12", CultureInfo.InvariantCulture) + SegmentExtension);

    private FileStream OpenSegment(long id) =>
        new(SegmentPath(id), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);

    private (long Id, long Offset) ReadAck()
    {
        Span<byte> ack = stackalloc byte[20];
        _ackFile.Position = 0;
        if (_ackFile.Read(ack) != ack.Length)
        {
            return (0, 0);
        }

        long id = BinaryPrimitives.ReadInt64LittleEndian(ack);
        long offset = BinaryPrimitives.ReadInt64LittleEndian(ack[8..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(ack[16..]);
        return Checksum(0, ack[..16]) == crc ? (id, offset) : (0, 0);
    }

    private void WriteAckLocked()
    {
        // 20 bytes written in place: a torn ack fails its checksum and the spool replays from its first segment,
        // which only re-sends points InfluxDB already holds (they overwrite themselves).
        Span<byte> ack = stackalloc byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(ack, _headId);
        BinaryPrimitives.WriteInt64LittleEndian(ack[8..], _headOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(ack[16..], Checksum(0, ack[..16]));
        _ackFile.Position = 0;
        _ackFile.Write(ack);
    }

    private void TornTailRecovery()
    {
        // Only the last segment can end in a record torn by a crash; earlier ones were complete when rolled.
        FileStream tail = _tail!;
        long length = tail.Length;
        long offset = _tailId == _headId ? _headOffset : 0;
        byte[] scratch = new byte[64 * 1024];
        Span<byte> header = stackalloc byte[HeaderSize];
        while (offset < length)
        {
            if (length - offset < HeaderSize)
            {
                break;
            }

            tail.Position = offset;
            tail.ReadExactly(header);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
            int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            int lines = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
            if (magic != Magic || payloadLength < 0 || lines < 0 || offset + HeaderSize + payloadLength > length)
            {
                break;
            }

            if (scratch.Length < payloadLength)
            {
                scratch = new byte[payloadLength];
            }

            tail.ReadExactly(scratch.AsSpan(0, payloadLength));
            if (Checksum(lines, scratch.AsSpan(0, payloadLength)) != crc)
            {
                break;
            }

            offset += HeaderSize + payloadLength;
        }

        if (offset < length)
        {
            _corruptRecords++;
            tail.SetLength(offset);
            tail.Flush(flushToDisk: true);
        }

        _segments[_tailId] = offset;
    }

    private long CountRecords()
    {
        long count = 0;
        foreach ((long id, long length) in _segments)
        {
            long offset = id == _headId ? _headOffset : 0;
            FileStream stream = id == _tailId ? _tail! : OpenSegment(id);
            try
            {
                CountSegmentRecords(stream, offset, length, ref count);
            }
            finally
            {
                if (id != _tailId)
                {
                    stream.Dispose();
                }
            }
        }

        return count;
    }

    private static long CountSegmentRecords(FileStream stream, long offset, long length, ref long count)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        while (offset + HeaderSize <= length)
        {
            stream.Position = offset;
            stream.ReadExactly(header);
            int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic || payloadLength < 0)
            {
                break;
            }

            count++;
            offset += HeaderSize + payloadLength;
        }

        return offset;
    }

    private void RollLocked()
    {
        if (_durability != SpoolDurability.None)
        {
            _tail!.Flush(flushToDisk: true);
            _dirty = false;
        }

        _tail!.Dispose();

        _tailId++;
        _segments[_tailId] = 0;
        _tail = OpenSegment(_tailId);
    }

    /// <summary>Moves the head past fully-read segments (deleting them); false when nothing is left to read.</summary>
    private bool AdvanceHeadSegmentLocked()
    {
        while (_headOffset >= _segments[_headId])
        {
            if (_headId == _tailId)
            {
                return false;
            }

            _head?.Dispose();
            _head = null;
            if (_cursorStream is not null && _cursorStreamId <= _headId + 1)
            {
                // The next head opens its own stream; never keep two handles on one segment.
                _cursorStream.Dispose();
                _cursorStream = null;
            }

            _segments.Remove(_headId);
            File.Delete(SegmentPath(_headId));
            _headId = _segments.Keys.First();
            _headOffset = 0;
            WriteAckLocked();
        }

        return true;
    }

    private FileStream HeadStream()
    {
        if (_headId == _tailId)
        {
            return _tail!;
        }

        return _head ??= OpenSegment(_headId);
    }

    private bool TryReadLocked(long id, long offset, WriteBatch into, out int lines, out long size)
    {
        lines = 0;
        size = 0;
        long available = _segments[id] - offset;
        if (available < HeaderSize)
        {
            return false;
        }

        FileStream stream = StreamFor(id);
        Span<byte> header = stackalloc byte[HeaderSize];
        stream.Position = offset;
        stream.ReadExactly(header);
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        lines = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic || payloadLength < 0 || lines < 0 || HeaderSize + (long)payloadLength > available)
        {
            return false;
        }

        into.Length = 0;
        if (into.Buffer.Length < payloadLength)
        {
            into.Grow(payloadLength);
        }

        stream.ReadExactly(into.Buffer.AsSpan(0, payloadLength));
        if (Checksum(lines, into.Buffer.AsSpan(0, payloadLength)) != crc)
        {
            return false;
        }

        into.Length = payloadLength;
        size = HeaderSize + payloadLength;
        return true;
    }

    private FileStream StreamFor(long id)
    {
        if (id == _tailId || id == _headId)
        {
            return id == _tailId ? _tail! : HeadStream();
        }

        if (_cursorStream is null || _cursorStreamId != id)
        {
            _cursorStream?.Dispose();
            _cursorStream = OpenSegment(id);
            _cursorStreamId = id;
        }

        return _cursorStream;
    }

    private void DropHeadRecordLocked()
    {
        if (!AdvanceHeadSegmentLocked())
        {
            return;
        }

        long available = _segments[_headId] - _headOffset;
        FileStream stream = HeadStream();
        Span<byte> header = stackalloc byte[HeaderSize];
        stream.Position = _headOffset;
        if (available >= HeaderSize)
        {
            stream.ReadExactly(header);
            int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            int lines = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) == Magic && payloadLength >= 0 && lines >= 0 && HeaderSize + (long)payloadLength <= available)
            {
                _droppedLines += lines;
                _headOffset += HeaderSize + payloadLength;
                _usedBytes -= HeaderSize + payloadLength;
                _records--;
                AdvanceHeadSegmentLocked();
                WriteAckLocked();
                return;
            }
        }

        _corruptRecords++;
        DropRestOfHeadSegmentLocked();
    }

    private void DropRestOfHeadSegmentLocked()
    {
        long rest = _segments[_headId] - _headOffset;
        _usedBytes -= rest;
        _headOffset = _segments[_headId];
        if (_headId == _tailId)
        {
            // Nothing valid follows in the segment being appended to: start afresh.
            _tail!.SetLength(0);
            _segments[_tailId] = 0;
            _headOffset = 0;
            _usedBytes = 0;
            _records = 0;
        }

        AdvanceHeadSegmentLocked();
        WriteAckLocked();
    }
}
