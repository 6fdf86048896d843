using System.Buffers;
using System.Text;
using System.Text.Json;
using Resilience.Ingest.Pipeline;

namespace Resilience.Ingest.Tests.Pipeline;

public sealed class DeadLetterFormatterTests
{
    private static JsonElement Format(DeadLetter deadLetter)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        DeadLetterFormatter.Write(buffer, json, deadLetter);
        buffer.WrittenSpan[^1].Should().Be((byte)'\n');
        buffer.WrittenSpan[..^1].IndexOf((byte)'\n').Should().Be(-1, "one dead letter is one line");
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    [Fact]
    public void Write_Utf8Payload_KeepsItAsText()
    {
        var at = new DateTimeOffset(2026, 11, 22, 3, 15, 0, TimeSpan.Zero);
        JsonElement line = Format(new DeadLetter("sensors/hanoi/x/telemetry", Encoding.UTF8.GetBytes("{\"values\":\n{\"aqi\":1}} Hà Nội"), "unknown quantity at offset 11: aqi", "unknown_quantity", at));

        line.GetProperty("topic").GetString().Should().Be("sensors/hanoi/x/telemetry");
        line.GetProperty("reason").GetString().Should().Be("unknown quantity at offset 11: aqi");
        line.GetProperty("code").GetString().Should().Be("unknown_quantity");
        line.GetProperty("encoding").GetString().Should().Be("utf8");
        line.GetProperty("payload").GetString().Should().Be("{\"values\":\n{\"aqi\":1}} Hà Nội");
        line.GetProperty("received").GetDateTimeOffset().Should().Be(at);
    }

    [Fact]
    public void Write_BinaryPayload_UsesBase64()
    {
        byte[] payload = [0xFF, 0x00, 0xC3, 0x28];
        JsonElement line = Format(new DeadLetter("t", payload, "r", "malformed_json", DateTimeOffset.UnixEpoch));

        line.GetProperty("encoding").GetString().Should().Be("base64");
        line.GetProperty("payload").GetBytesFromBase64().Should().Equal(payload);
    }

    [Fact]
    public void FileName_IsTheUtcDay()
    {
        DeadLetterFormatter.FileName(new DateTimeOffset(2026, 11, 22, 6, 30, 0, TimeSpan.FromHours(7))).Should().Be("ingest-20261121.jsonl");
    }

    [Fact]
    public void Create_OneMiBPayload_KeepsAnExcerptWithTheWholeLengthAndHash()
    {
        byte[] payload = new byte[1024 * 1024];
        Random.Shared.NextBytes(payload);

        DeadLetter deadLetter = DeadLetter.Create("sensors/danang/x/telemetry", payload, "too large", "too_large", DateTimeOffset.UnixEpoch);
        JsonElement line = Format(deadLetter);

        deadLetter.Payload.Should().HaveCount(DeadLetter.ExcerptBytes);
        line.GetProperty("length").GetInt64().Should().Be(payload.Length);
        line.GetProperty("truncated").GetBoolean().Should().BeTrue();
        line.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload)));
    }

    [Fact]
    public void Create_LongVietnameseText_IsCutAtACharacterBoundary()
    {
        byte[] payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Nước lũ ", 400)));

        JsonElement line = Format(DeadLetter.Create("t", payload, "r", "c", DateTimeOffset.UnixEpoch));

        line.GetProperty("encoding").GetString().Should().Be("utf8", "the excerpt stays readable text");
        string excerpt = line.GetProperty("payload").GetString()!;
        Encoding.UTF8.GetByteCount(excerpt).Should().BeInRange(DeadLetter.ExcerptBytes - 3, DeadLetter.ExcerptBytes);
        Encoding.UTF8.GetString(payload).Should().StartWith(excerpt);
    }

    [Fact]
    public void Create_SmallPayload_KeptWhole()
    {
        JsonElement line = Format(DeadLetter.Create("t", "{\"values\":{}}"u8, "r", "c", DateTimeOffset.UnixEpoch));

        line.GetProperty("payload").GetString().Should().Be("{\"values\":{}}");
        line.GetProperty("truncated").GetBoolean().Should().BeFalse();
        line.GetProperty("length").GetInt64().Should().Be(13);
    }
}
