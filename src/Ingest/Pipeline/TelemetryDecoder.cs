using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Decodes a telemetry payload — the JSON object of DESIGN.md ("Telemetry payload") or a SenML JSON pack
/// (RFC 8428) — with <see cref="Utf8JsonReader"/> into readings in a caller-provided span. Never throws for
/// bad input: every problem comes back as a <see cref="DecodeResult"/> naming the reason, so the caller can
/// dead-letter the message. Thread-safe (stateless apart from its settings).
/// </summary>
internal sealed partial class TelemetryDecoder
{
    /// <summary>The earliest timestamp accepted (older values are clock or unit mistakes).</summary>
    public static readonly DateTimeOffset MinTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Escaped strings (\uXXXX) are unescaped into a stack buffer; longer strings are rejected rather than pooled.
    private const int ScratchBytes = 256;
    private const int UnitBytes = 16;

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 16,
    };

    private readonly TimeProvider _time;
    private readonly int _maxPayloadBytes;
    private readonly TimeSpan _maxFutureSkew;

    /// <summary>Creates a decoder.</summary>
    public TelemetryDecoder(TimeProvider time, int maxPayloadBytes = 16 * 1024, TimeSpan? maxFutureSkew = null)
    {
        _time = time;
        _maxPayloadBytes = maxPayloadBytes;
        _maxFutureSkew = maxFutureSkew ?? TimeSpan.FromMinutes(10);
    }

    /// <summary>
    /// Decodes <paramref name="payload"/> for <paramref name="sensorId"/>; on success <paramref name="written"/>
    /// readings (one for the JSON object form, one per distinct SenML time) are in <paramref name="destination"/>.
    /// </summary>
    public DecodeResult Decode(ReadOnlySpan<byte> payload, string sensorId, string province, Span<TelemetryReading> destination, out int written)
    {
        written = 0;
        if (payload.Length > _maxPayloadBytes)
        {
            return new DecodeResult(DeadLetterReason.PayloadTooLarge, -1, payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes");
        }

        if (payload.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new DecodeResult(DeadLetterReason.EmptyPayload);
        }

        if (!Utf8.IsValid(payload))
        {
            // RFC 8259 §8.1: JSON text is UTF-8. The reader only checks strings it is asked to transcode.
            return new DecodeResult(DeadLetterReason.MalformedJson, FirstInvalidUtf8(payload), "invalid UTF-8");
        }

        if (destination.IsEmpty)
        {
            return new DecodeResult(DeadLetterReason.TooManyReadings);
        }

        DateTimeOffset now = _time.GetUtcNow();

        // One stack block for unescaped strings and SenML base name/unit carried between records; the reader is
        // scoped to this frame so the callees may hand these slices to it.
        Span<byte> stack = stackalloc byte[(3 * ScratchBytes) + (2 * UnitBytes)];
        var buffers = new ScratchBuffers(stack);
        scoped var reader = new Utf8JsonReader(payload, isFinalBlock: true, new JsonReaderState(s_readerOptions));
        try
        {
            reader.Read();
            DecodeResult result;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                result = DecodeObject(ref reader, buffers.Scratch, sensorId, province, now, ref destination[0]);
                written = result.IsSuccess ? 1 : 0;
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                result = DecodeSenml(ref reader, buffers, sensorId, province, now, destination, out written);
            }
            else
            {
                return new DecodeResult(DeadLetterReason.UnexpectedShape, reader.TokenStartIndex, "expected an object or a SenML array");
            }

            if (result.IsSuccess && reader.Read())
            {
                // isFinalBlock rejects a second top-level value with an exception; this is belt and braces.
                written = 0;
                return new DecodeResult(DeadLetterReason.MalformedJson, reader.TokenStartIndex, "trailing data");
            }

            if (!result.IsSuccess)
            {
                written = 0;
            }

            return result;
        }
        catch (JsonException ex)
        {
            written = 0;
            long offset = ex.LineNumber == 0 && ex.BytePositionInLine is { } pos ? pos : reader.BytesConsumed;
            return new DecodeResult(DeadLetterReason.MalformedJson, offset);
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string surfaces when the string is unescaped or transcoded.
            written = 0;
            return new DecodeResult(DeadLetterReason.MalformedJson, reader.TokenStartIndex, "invalid UTF-8");
        }
    }

    private bool IsAcceptable(DateTimeOffset ts, DateTimeOffset now) => ts >= MinTimestamp && ts <= now + _maxFutureSkew;

    /// <summary>The current string token's bytes, unescaped into <paramref name="scratch"/> when needed.</summary>
    private static bool TryGetText(ref Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> text)
    {
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            return true;
        }

        if (reader.ValueSpan.Length > scratch.Length)
        {
            text = default;
            return false;
        }

        int n = reader.CopyString(scratch);
        text = scratch[..n];
        return true;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> payload)
    {
        int offset = 0;
        while (offset < payload.Length)
        {
            if (Rune.DecodeFromUtf8(payload[offset..], out _, out int consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    private static string Text(ReadOnlySpan<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8.Length > 64 ? utf8[..64] : utf8);
}
