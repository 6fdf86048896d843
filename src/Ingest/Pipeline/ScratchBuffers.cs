namespace Resilience.Ingest.Pipeline;

/// <summary>Slices of one stack block used by <see cref="TelemetryDecoder"/> for unescaped strings.</summary>
internal readonly ref struct ScratchBuffers
{
    private const int Text = 256;
    private const int UnitLength = 16;

    private readonly Span<byte> _block;

    /// <summary>Splits <paramref name="block"/> (at least 3 × 256 + 2 × 16 bytes).</summary>
    public ScratchBuffers(Span<byte> block)
    {
        _block = block;
    }

    /// <summary>For one unescaped string at a time.</summary>
    public Span<byte> Scratch => _block.Slice(0, Text);

    /// <summary>The SenML base name carried between records.</summary>
    public Span<byte> BaseName => _block.Slice(Text, Text);

    /// <summary>The current SenML record's name.</summary>
    public Span<byte> Name => _block.Slice(2 * Text, Text);

    /// <summary>The SenML base unit carried between records.</summary>
    public Span<byte> BaseUnit => _block.Slice(3 * Text, UnitLength);

    /// <summary>The current SenML record's unit.</summary>
    public Span<byte> Unit => _block.Slice((3 * Text) + UnitLength, UnitLength);
}
