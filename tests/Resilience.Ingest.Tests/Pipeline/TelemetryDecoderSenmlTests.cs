using System.Text;
using Resilience.Ingest.Pipeline;
using Resilience.TestKit;

namespace Resilience.Ingest.Tests.Pipeline;

/// <summary>SenML (RFC 8428) packs, including the RFC's §5 examples adapted to our quantities and units.</summary>
public sealed class TelemetryDecoderSenmlTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
    private readonly TelemetryDecoder _decoder = new(new ManualTimeProvider(s_now));
    private readonly TelemetryReading[] _readings = new TelemetryReading[8];

    private DecodeResult Decode(string json, out int written) =>
        _decoder.Decode(Encoding.UTF8.GetBytes(json), "dn-1", "danang", _readings, out written);

    [Fact]
    public void Decode_SingleDatapoint_Rfc8428Section511_IsRelativeToNow()
    {
        // RFC 8428 §5.1.1, with our quantity name appended: no time at all means "now".
        Decode("""[{"n":"urn:dev:ow:10e2073a01080063:temperature","u":"Cel","v":23.1}]""", out int written).IsSuccess.Should().BeTrue();

        written.Should().Be(1);
        _readings[0].TryGetValue(Quantity.Temperature, out double t).Should().BeTrue();
        t.Should().Be(23.1);
        _readings[0].Timestamp.Should().Be(s_now);
        _readings[0].HasDeviceTimestamp.Should().BeFalse();
    }

    [Fact]
    public void Decode_MultipleDatapoints_Rfc8428Section512_OneReading()
    {
        Decode("""[{"bn":"urn:dev:ow:10e2073a01080063:","n":"battery","u":"V","v":3.9},{"n":"humidity","u":"%RH","v":81.5}]""", out int written)
            .IsSuccess.Should().BeTrue();

        written.Should().Be(1);
        _readings[0].Count.Should().Be(2);
        _readings[0][0].Should().Be(new QuantityValue(Quantity.Battery, 3.9));
        _readings[0][1].Should().Be(new QuantityValue(Quantity.Humidity, 81.5));
    }

    [Fact]
    public void Decode_MultipleMeasurements_Rfc8428Section513_OneReadingPerTime()
    {
        // §5.1.3: base time, base unit and bver carried forward; t relative to bt.
        string json = """
            [{"bn":"urn:dev:ow:10e2073a0108006:","bt":1.763780076001e+09,"bu":"m","bver":5,"n":"battery","u":"V","v":3.91},
             {"n":"water_level","t":-5,"v":1.2},
             {"n":"water_level","t":-4,"v":1.3},
             {"n":"water_level","t":-3,"v":1.4,"ut":60},
             {"n":"water_level","t":-2,"v":1.5},
             {"n":"water_level","t":-1,"v":1.6},
             {"n":"water_level","v":1.7}]
            """;

        DecodeResult result = Decode(json, out int written);

        result.IsSuccess.Should().BeTrue(result.ToString());
        written.Should().Be(6);
        DateTimeOffset bt = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(1.763780076001e9 * TimeSpan.TicksPerSecond));
        _readings[0].Timestamp.Should().Be(bt);
        _readings[0].Count.Should().Be(2, "the battery and the last level share the base time");
        _readings[0].TryGetValue(Quantity.Battery, out _).Should().BeTrue();
        _readings[0].TryGetValue(Quantity.WaterLevel, out double last).Should().BeTrue();
        last.Should().Be(1.7);
        _readings[1].Timestamp.Should().Be(bt.AddSeconds(-5));
        _readings[1].TryGetValue(Quantity.WaterLevel, out double first).Should().BeTrue();
        first.Should().Be(1.2);
        _readings[5].Timestamp.Should().Be(bt.AddSeconds(-1));
        _readings[5].HasDeviceTimestamp.Should().BeTrue();
    }

    [Fact]
    public void Decode_RelativeTimes_AreAgainstTheReceiveTime()
    {
        Decode("""[{"bt":-120,"n":"pm25","u":"ug/m3","v":10},{"n":"pm25","u":"ug/m3","v":11,"t":60}]""", out int written).IsSuccess.Should().BeTrue();

        written.Should().Be(2);
        _readings[0].Timestamp.Should().Be(s_now.AddSeconds(-120));
        _readings[1].Timestamp.Should().Be(s_now.AddSeconds(-60));
    }

    [Fact]
    public void Decode_NoTimeWithASubSecondClock_IsExactlyTheReceiveTime()
    {
        DateTimeOffset now = s_now.AddTicks(1_234_567);
        var decoder = new TelemetryDecoder(new ManualTimeProvider(now));

        decoder.Decode("""[{"n":"pm25","v":10},{"n":"pm10","v":20,"t":-0.5}]"""u8, "s", "hanoi", _readings, out int written).IsSuccess.Should().BeTrue();

        written.Should().Be(2);
        _readings[0].Timestamp.Should().Be(now);
        _readings[1].Timestamp.Should().Be(now.AddMilliseconds(-500));
    }

    [Fact]
    public void Decode_AbsoluteTime_AtOrAbove2Pow28IsUnixSeconds()
    {
        long unix = s_now.AddHours(-1).ToUnixTimeSeconds();
        Decode($$"""[{"n":"rainfall","u":"mm","v":4.5,"t":{{unix}}}]""", out _).IsSuccess.Should().BeTrue();

        _readings[0].Timestamp.Should().Be(s_now.AddHours(-1));
    }

    [Fact]
    public void Decode_BaseValueAndBaseName_CarriedForwardAndAdded()
    {
        string json = """[{"bn":"vn:dng:camle/","bv":1.0,"n":"water_level","u":"m","v":0.46},{"n":"rainfall","u":"mm","v":12.5}]""";

        Decode(json, out _).IsSuccess.Should().BeTrue();

        _readings[0].TryGetValue(Quantity.WaterLevel, out double wl).Should().BeTrue();
        wl.Should().BeApproximately(1.46, 1e-12);
        _readings[0].TryGetValue(Quantity.Rainfall, out double rain).Should().BeTrue();
        rain.Should().Be(13.5);
    }

    [Fact]
    public void Decode_EscapedBaseNameAndUnits_UnescapedAndCarriedForward()
    {
        string json = """[{"bn":"urn\u003adev\u003adn-1:","bu":"ug\/m3","n":"pm\u0032\u0035","v":12},{"n":"pm10","v":20},{"n":"temperature","u":"C\u0065l","v":25}]""";

        DecodeResult result = Decode(json, out int written);

        result.IsSuccess.Should().BeTrue(result.ToString());
        written.Should().Be(1);
        _readings[0].Count.Should().Be(3);
        _readings[0].TryGetValue(Quantity.Pm25, out double pm25).Should().BeTrue();
        pm25.Should().Be(12);
    }

    [Fact]
    public void Decode_NameOnlyInBaseName_UsesItsLastSegment()
    {
        Decode("""[{"bn":"urn:dev:dn-1:co","u":"ug/m3","v":900}]""", out _).IsSuccess.Should().BeTrue();

        _readings[0].TryGetValue(Quantity.Co, out double co).Should().BeTrue();
        co.Should().Be(900);
    }

    [Fact]
    public void Decode_NoUnit_AcceptedBecauseTheNameFixesIt()
    {
        Decode("""[{"n":"so2","v":20}]""", out _).IsSuccess.Should().BeTrue();
    }

    [Fact]
    public void Decode_UnknownLabelsAndBaseSum_Ignored()
    {
        Decode("""[{"n":"o3","u":"ug/m3","v":80,"foo":{"a":[1]},"bs":0,"ut":300}]""", out _).IsSuccess.Should().BeTrue();
    }

    [Fact]
    public void Decode_Bver10_Accepted()
    {
        Decode("""[{"bver":10,"n":"no2","u":"ug/m3","v":40}]""", out _).IsSuccess.Should().BeTrue();
    }

    [Theory]
    [InlineData("""[{"n":"pm25","u":"ug/m3","v":1,"foo_":1}]""", DeadLetterReason.SenmlMustUnderstand)]
    [InlineData("""[{"bn_":"x","n":"pm25","v":1}]""", DeadLetterReason.SenmlMustUnderstand)]
    [InlineData("""[{"bver":11,"n":"pm25","v":1}]""", DeadLetterReason.SenmlVersion)]
    [InlineData("""[{"bver":0,"n":"pm25","v":1}]""", DeadLetterReason.SenmlVersion)]
    [InlineData("""[{"bver":"10","n":"pm25","v":1}]""", DeadLetterReason.SenmlVersion)]
    [InlineData("""[{"n":"pm25","v":1,"vs":"1"}]""", DeadLetterReason.SenmlValueCount)]
    [InlineData("""[{"n":"pm25"}]""", DeadLetterReason.SenmlValueCount)]
    [InlineData("""[{"bv":3,"n":"pm25"}]""", DeadLetterReason.SenmlValueCount)]
    [InlineData("""[{"n":"pm25","vs":"12"}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"n":"pm25","vb":true}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"n":"pm25","vd":"aGk"}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"n":"rainfall","u":"mm","s":12}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"n":"pm25","v":"12"}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"n":"pm25","v":1e400}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"bv":1.7e308,"n":"pm25","v":1.7e308}]""", DeadLetterReason.BadValue)]
    [InlineData("""[{"n":"temperature","u":"C","v":23}]""", DeadLetterReason.BadUnit)]
    [InlineData("""[{"n":"pm25","u":"µg/m3","v":23}]""", DeadLetterReason.BadUnit)]
    [InlineData("""[{"n":"co","u":"mg/m3","v":1}]""", DeadLetterReason.BadUnit)]
    [InlineData("""[{"bu":"m","n":"rainfall","v":1}]""", DeadLetterReason.BadUnit)]
    [InlineData("""[{"n":"water_level","u":"cm","v":231}]""", DeadLetterReason.BadUnit)]
    [InlineData("""[{"n":"humidity","u":"%","v":80}]""", DeadLetterReason.BadUnit)]
    [InlineData("""[{"n":"wl","u":"m","v":2}]""", DeadLetterReason.UnknownQuantity)]
    [InlineData("""[{"bn":"urn:dev:x:","n":"voltage","u":"V","v":3.9}]""", DeadLetterReason.UnknownQuantity)]
    [InlineData("""[{"n":"-pm25","v":1}]""", DeadLetterReason.SenmlBadName)]
    [InlineData("""[{"n":"pm 25","v":1}]""", DeadLetterReason.SenmlBadName)]
    [InlineData("""[{"v":1}]""", DeadLetterReason.SenmlBadName)]
    [InlineData("""[{"n":"pm25","v":1,"t":268435455}]""", DeadLetterReason.BadTimestamp)]
    [InlineData("""[{"n":"pm25","v":1,"t":268435456}]""", DeadLetterReason.BadTimestamp)]
    [InlineData("""[{"n":"pm25","v":1,"t":"now"}]""", DeadLetterReason.BadTimestamp)]
    [InlineData("""[{"n":"pm25","v":1,"bt":1e300}]""", DeadLetterReason.BadTimestamp)]
    [InlineData("""[{"n":1,"v":1}]""", DeadLetterReason.UnexpectedShape)]
    [InlineData("""[1, 2]""", DeadLetterReason.UnexpectedShape)]
    [InlineData("""[]""", DeadLetterReason.NoValues)]
    [InlineData("""[{"n":"pm25","v":1},]""", DeadLetterReason.MalformedJson)]
    public void Decode_Rejected_ReturnsReason(string json, DeadLetterReason reason)
    {
        DecodeResult result = Decode(json, out int written);

        result.Reason.Should().Be(reason, result.ToString());
        written.Should().Be(0);
    }

    [Fact]
    public void Decode_MoreTimesThanTheBuffer_TooManyReadings()
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < 9; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",").Append("{\"n\":\"pm25\",\"v\":1,\"t\":-").Append(i + 1).Append('}');
        }

        Decode(sb.Append(']').ToString(), out _).Reason.Should().Be(DeadLetterReason.TooManyReadings);
    }

    [Fact]
    public void Decode_SameQuantityTwiceAtOneTime_StartsASecondReading()
    {
        Decode("""[{"n":"pm25","v":1},{"n":"pm25","v":2}]""", out int written).IsSuccess.Should().BeTrue();

        written.Should().Be(2);
    }

    [Fact]
    public void Describe_BadUnit_NamesUnitAndExpectation()
    {
        DecodeResult result = Decode("""[{"n":"temperature","u":"C","v":23}]""", out _);

        DeadLetterReasons.Describe(result).Should().Be("bad unit at offset 1: C for temperature (expected Cel)");
    }
}
