using System.Text;
using Resilience.Ingest.Pipeline;
using Resilience.TestKit;

namespace Resilience.Ingest.Tests.Pipeline;

public sealed class TelemetryDecoderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(s_now);
    private readonly TelemetryDecoder _decoder;
    private readonly TelemetryReading[] _readings = new TelemetryReading[8];

    public TelemetryDecoderTests()
    {
        _decoder = new TelemetryDecoder(_time, maxPayloadBytes: 1024);
    }

    private DecodeResult Decode(string json, out int written) =>
        _decoder.Decode(Encoding.UTF8.GetBytes(json), "dn-camle-wl", "danang", _readings, out written);

    [Fact]
    public void Decode_DesignExample_ReturnsOneReading()
    {
        DecodeResult result = Decode("""{"ts": "2026-11-22T03:15:00Z", "seq": 1234, "values": {"water_level": 2.31, "battery": 3.92}}""", out int written);

        result.IsSuccess.Should().BeTrue(result.ToString());
        written.Should().Be(1);
        TelemetryReading r = _readings[0];
        r.SensorId.Should().Be("dn-camle-wl");
        r.Province.Should().Be("danang");
        r.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 22, 3, 15, 0, TimeSpan.Zero));
        r.HasDeviceTimestamp.Should().BeTrue();
        r.Seq.Should().Be(1234);
        r.Count.Should().Be(2);
        r[0].Should().Be(new QuantityValue(Quantity.WaterLevel, 2.31));
        r[1].Should().Be(new QuantityValue(Quantity.Battery, 3.92));
    }

    [Fact]
    public void Decode_EpochMilliseconds_UsesThem()
    {
        long ms = s_now.AddMinutes(-5).ToUnixTimeMilliseconds();
        Decode("{\"ts\": " + ms + ", \"values\": {\"rainfall\": 0}}", out _).IsSuccess.Should().BeTrue();

        _readings[0].Timestamp.Should().Be(s_now.AddMinutes(-5));
        _readings[0].Seq.Should().BeNull();
    }

    [Fact]
    public void Decode_NoTs_UsesReceiveTimeFromTheTimeProvider()
    {
        _time.Advance(TimeSpan.FromSeconds(42));
        Decode("""{"values": {"temperature": 28.5, "humidity": 81}}""", out _).IsSuccess.Should().BeTrue();

        _readings[0].Timestamp.Should().Be(s_now.AddSeconds(42));
        _readings[0].HasDeviceTimestamp.Should().BeFalse();
    }

    [Fact]
    public void Decode_AllQuantities_Accepted()
    {
        string json = """
            {"values": {"water_level": 1, "rainfall": 2, "pm25": 3, "pm10": 4, "o3": 5, "no2": 6, "so2": 7, "co": 8,
                        "temperature": 9, "humidity": 10, "battery": 11}}
            """;

        Decode(json, out _).IsSuccess.Should().BeTrue();

        _readings[0].Count.Should().Be(11);
        foreach (Quantity q in Enum.GetValues<Quantity>())
        {
            _readings[0].TryGetValue(q, out double v).Should().BeTrue();
            v.Should().Be((int)q + 1);
        }
    }

    [Fact]
    public void Decode_EscapedNamesAndUnknownMembers_Accepted()
    {
        Decode("""{"device": {"fw": [1, 2]}, "values": {"pm\u0032\u0035": 12.5}, "note": "xin chào"}""", out _).IsSuccess.Should().BeTrue();

        _readings[0].TryGetValue(Quantity.Pm25, out double v).Should().BeTrue();
        v.Should().Be(12.5);
    }

    [Fact]
    public void Decode_ReusedBuffer_ClearsPreviousValues()
    {
        Decode("""{"values": {"pm25": 1, "pm10": 2}}""", out _);
        Decode("""{"values": {"o3": 3}}""", out _);

        _readings[0].Count.Should().Be(1);
        _readings[0].Contains(Quantity.Pm25).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"values": {"wl": 1}}""", DeadLetterReason.UnknownQuantity, "wl")]
    [InlineData("""{"values": {"Water_Level": 1}}""", DeadLetterReason.UnknownQuantity, "Water_Level")]
    [InlineData("""{"values": {"aqi": 80}}""", DeadLetterReason.UnknownQuantity, "aqi")]
    [InlineData("""{"values": {"pm25": 1e400}}""", DeadLetterReason.BadValue, "pm25")]
    [InlineData("""{"values": {"pm25": "12"}}""", DeadLetterReason.BadValue, "pm25")]
    [InlineData("""{"values": {"pm25": null}}""", DeadLetterReason.BadValue, "pm25")]
    [InlineData("""{"values": {"pm25": true}}""", DeadLetterReason.BadValue, "pm25")]
    [InlineData("""{"values": {"pm25": 1, "pm25": 2}}""", DeadLetterReason.Duplicate, "pm25")]
    [InlineData("""{"values": {}}""", DeadLetterReason.NoValues, null)]
    [InlineData("""{"ts": "2026-11-22T03:00:00Z"}""", DeadLetterReason.NoValues, null)]
    [InlineData("""{"values": [1, 2]}""", DeadLetterReason.UnexpectedShape, null)]
    [InlineData("""{"values": 5}""", DeadLetterReason.UnexpectedShape, null)]
    [InlineData("""{"ts": "yesterday", "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": "2026-11-22T03:00:00", "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": 1763780100000.5, "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": 1763780100, "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": "2027-01-01T00:00:00Z", "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": "1999-12-31T23:59:59Z", "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": true, "values": {"pm25": 1}}""", DeadLetterReason.BadTimestamp, null)]
    [InlineData("""{"ts": 1763780100000, "ts": 1763780100000, "values": {"pm25": 1}}""", DeadLetterReason.Duplicate, "ts")]
    [InlineData("""{"seq": -1, "values": {"pm25": 1}}""", DeadLetterReason.BadSeq, null)]
    [InlineData("""{"seq": 1.5, "values": {"pm25": 1}}""", DeadLetterReason.BadSeq, null)]
    [InlineData("""{"seq": "7", "values": {"pm25": 1}}""", DeadLetterReason.BadSeq, null)]
    [InlineData("""{"seq": 99999999999999999999, "values": {"pm25": 1}}""", DeadLetterReason.BadSeq, null)]
    [InlineData("""42""", DeadLetterReason.UnexpectedShape, null)]
    [InlineData("""online""", DeadLetterReason.MalformedJson, null)]
    [InlineData("""{"values": {"pm25": 1}} {}""", DeadLetterReason.MalformedJson, null)]
    [InlineData("""{"values": {"pm25": 1},}""", DeadLetterReason.MalformedJson, null)]
    [InlineData("""{"values": {"pm25": 1}} // c""", DeadLetterReason.MalformedJson, null)]
    [InlineData("", DeadLetterReason.EmptyPayload, null)]
    [InlineData("  \n", DeadLetterReason.EmptyPayload, null)]
    public void Decode_Rejected_ReturnsReason(string json, DeadLetterReason reason, string? detail)
    {
        DecodeResult result = Decode(json, out int written);

        result.Reason.Should().Be(reason, result.ToString());
        written.Should().Be(0);
        if (detail is not null)
        {
            result.Detail.Should().Be(detail);
        }
    }

    [Fact]
    public void Decode_MalformedJson_ReportsTheOffset()
    {
        DecodeResult result = Decode("""{"values": {"pm25": 1x}}""", out _);

        result.Reason.Should().Be(DeadLetterReason.MalformedJson);
        result.Offset.Should().Be(21);
        DeadLetterReasons.Describe(result).Should().Be("malformed JSON at offset 21");
    }

    [Fact]
    public void Decode_InvalidUtf8InAString_IsMalformed()
    {
        byte[] payload = [.. "{\"values\": {\"pm25\": 1}, \"x\": \""u8, 0xC3, 0x28, .. "\"}"u8];

        _decoder.Decode(payload, "s", "hanoi", _readings, out _).Reason.Should().Be(DeadLetterReason.MalformedJson);
    }

    [Fact]
    public void Decode_InvalidUtf8InAQuantityName_IsRejected()
    {
        byte[] payload = [.. "{\"values\": {\"\\u00e9"u8, 0xFF, .. "\": 1}}"u8];

        _decoder.Decode(payload, "s", "hanoi", _readings, out _).IsSuccess.Should().BeFalse();
    }

    [Fact]
    public void Decode_PayloadTooLarge_Rejected()
    {
        string json = """{"values": {"pm25": 1}, "pad": "__PAD__"}""".Replace("__PAD__", new string('x', 1100), StringComparison.Ordinal);

        Decode(json, out _).Reason.Should().Be(DeadLetterReason.PayloadTooLarge);
    }

    [Fact]
    public void Decode_TooDeep_IsMalformedNotAnException()
    {
        string json = """{"values": {"pm25": 1}, "x": """ + new string('[', 40) + new string(']', 40) + "}";

        Decode(json, out _).Reason.Should().Be(DeadLetterReason.MalformedJson);
    }

    [Fact]
    public void Decode_EmptyDestination_TooManyReadings()
    {
        _decoder.Decode("""{"values": {"pm25": 1}}"""u8, "s", "hanoi", [], out _).Reason.Should().Be(DeadLetterReason.TooManyReadings);
    }

    public static TheoryData<string> ValidPayloads =>
    [
        """{"ts": "2026-11-22T03:15:00+07:00", "seq": 1234, "values": {"water_level": 2.31, "battery": 3.92}}""",
        """[{"bn":"urn:dev:dn-1:","bt":1763780100,"bu":"ug/m3","n":"pm25","v":35.5},{"n":"pm10","v":61},{"n":"temperature","u":"Cel","v":29.1,"t":-60}]""",
    ];

    [Theory]
    [MemberData(nameof(ValidPayloads))]
    public void Decode_TruncatedAtEveryByte_ReturnsAReasonAndNeverThrows(string json)
    {
        byte[] full = Encoding.UTF8.GetBytes(json);
        _decoder.Decode(full, "s", "hanoi", _readings, out _).IsSuccess.Should().BeTrue();

        for (int cut = 0; cut < full.Length; cut++)
        {
            DecodeResult result = default;
            Action act = () => result = _decoder.Decode(full.AsSpan(0, cut), "s", "hanoi", _readings, out _);

            act.Should().NotThrow($"cut at {cut}");
            result.IsSuccess.Should().BeFalse($"cut at {cut} of {json}");
        }
    }

    [Fact]
    public void Decode_EveryByteFlippedToAQuote_NeverThrows()
    {
        byte[] full = """{"ts": 1763780100000, "seq": 7, "values": {"water_level": 2.31}}"""u8.ToArray();
        for (int i = 0; i < full.Length; i++)
        {
            byte[] copy = (byte[])full.Clone();
            copy[i] = (byte)'"';
            Action act = () => _decoder.Decode(copy, "s", "hanoi", _readings, out _);

            act.Should().NotThrow($"quote at {i}");
        }
    }
}
