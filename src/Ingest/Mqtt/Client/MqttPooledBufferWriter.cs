using System.Buffers;

namespace Resilience.Ingest.Mqtt.Client;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one <see cref="ArrayPool{T}.Shared"/> array, for encoding a packet
/// that must outlive the write (an unacknowledged QoS 1/2 PUBLISH). <see cref="Detach"/> hands the array to
/// its new owner, who returns it to the pool.
/// </summary>
internal sealed class MqttPooledBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;

    [ThreadStatic]
    private static MqttPooledBufferWriter? t_cached;

    private MqttPooledBufferWriter()
    {
        _buffer = [];
    }

    public int WrittenCount => _written;

    /// <summary>A writer for this thread with a freshly rented array of at least <paramref name="sizeHint"/> bytes (no allocation beyond the rent).</summary>
    public static MqttPooledBufferWriter Rent(int sizeHint)
    {
        MqttPooledBufferWriter writer = t_cached ??= new MqttPooledBufferWriter();
        writer.Reset(sizeHint);
        return writer;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException("Advanced past the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Gives up the array (the caller returns it to the pool) and its written length.</summary>
    public byte[] Detach(out int length)
    {
        byte[] buffer = _buffer;
        length = _written;
        _buffer = [];
        _written = 0;
        return buffer;
    }

    /// <summary>Returns the array to the pool when an encode failed before <see cref="Detach"/>.</summary>
    public void Abandon()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _written = 0;
    }

    private void Reset(int sizeHint)
    {
        Abandon();
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 64));
    }

    private void Ensure(int sizeHint)
    {
        int needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
