namespace Resilience.Ingest.Storage;

/// <summary>A run of encoded lines in one pooled UTF-8 buffer; reused once written or spooled.</summary>
internal sealed class WriteBatch
{
    public WriteBatch(int capacity)
    {
        Buffer = new byte[capacity];
    }

    /// <summary>The backing buffer; only the first <see cref="Length"/> bytes are lines.</summary>
    public byte[] Buffer { get; private set; }

    /// <summary>Bytes used.</summary>
    public int Length { get; set; }

    /// <summary>Lines in the batch.</summary>
    public int Lines { get; set; }

    /// <summary>Order in which the batch was sealed (for <see cref="IPointWriter.FlushAsync"/>).</summary>
    public long Sequence { get; set; }

    /// <summary>The encoded lines.</summary>
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    /// <summary>The free tail of the buffer.</summary>
    public Span<byte> Free => Buffer.AsSpan(Length);

    /// <summary>Empties the batch.</summary>
    public void Reset()
    {
        Length = 0;
        Lines = 0;
        Sequence = 0;
    }

    /// <summary>Grows the buffer (keeping its content) so that <paramref name="free"/> more bytes fit.</summary>
    public void Grow(int free)
    {
        int size = Math.Max(Buffer.Length * 2, Length + free);
        byte[] bigger = new byte[size];
        Buffer.AsSpan(0, Length).CopyTo(bigger);
        Buffer = bigger;
    }
}
