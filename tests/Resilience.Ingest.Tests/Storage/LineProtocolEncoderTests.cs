using System.Text;
using Resilience.Ingest.Storage;

namespace Resilience.Ingest.Tests.Storage;

public sealed class LineProtocolEncoderTests
{
    private const long Ts = 1_763_780_100_123_456_789;

    private static string Encode(PointData point, WritePrecision precision = WritePrecision.Nanoseconds, bool unsignedAsInteger = true)
    {
        byte[] buffer = new byte[4096];
        int n = LineProtocolEncoder.Encode(in point, buffer, precision, unsignedAsInteger);
        n.Should().BeGreaterThan(0);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private static PointData Point(string measurement, (string Key, string Value)[] tags, params FieldValue[] fields) =>
        new(measurement, tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)).ToArray(), fields, Ts);

    private static PointData Point(string measurement, params FieldValue[] fields) => Point(measurement, [], fields);

    [Fact]
    public void Encode_ThreeTagsOneField_SortsTagsAndEndsWithNewline()
    {
        string line = Encode(Point("water", [("zone", "danang-camle"), ("province", "danang"), ("sensor", "dn-1")], FieldValue.Float("level", 2.31)));

        line.Should().Be($"water,province=danang,sensor=dn-1,zone=danang-camle level=2.31 {Ts}\n");
    }

    [Fact]
    public void Encode_TagKeysDifferingInCase_SortsOrdinally()
    {
        string line = Encode(Point("m", [("b", "1"), ("a", "2"), ("B", "3"), ("_", "4")], FieldValue.Integer("v", 1)));

        line.Should().StartWith("m,B=3,_=4,a=2,b=1 v=1i ");
    }

    [Theory]
    [InlineData("a,b c", @"a\,b\ c")]
    [InlineData("a=b", "a=b")]
    [InlineData("a\"b", "a\"b")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData("Mực nước", @"Mực\ nước")]
    public void Encode_Measurement_EscapesCommaAndSpaceOnly(string measurement, string expected)
    {
        Encode(Point(measurement, FieldValue.Boolean("f", true))).Should().Be($"{expected} f=true {Ts}\n");
    }

    [Theory]
    [InlineData("k,1", "v 1", @"k\,1=v\ 1")]
    [InlineData("k=1", "v=1", @"k\=1=v\=1")]
    [InlineData("k\"", "\"v\"", "k\"=\"v\"")]
    [InlineData(@"k\x", @"v\\x", @"k\x=v\\x")]
    [InlineData("phường", "Cẩm Lệ", @"phường=Cẩm\ Lệ")]
    public void Encode_Tags_EscapeCommaEqualsAndSpace(string key, string value, string expected)
    {
        Encode(Point("m", [(key, value)], FieldValue.Integer("f", 1))).Should().Be($"m,{expected} f=1i {Ts}\n");
    }

    [Theory]
    [InlineData("f k", @"f\ k")]
    [InlineData("f,k", @"f\,k")]
    [InlineData("f=k", @"f\=k")]
    [InlineData("\"f\"", "\"f\"")]
    public void Encode_FieldKey_EscapesCommaEqualsAndSpace(string key, string expected)
    {
        Encode(Point("m", FieldValue.Integer(key, 1))).Should().Be($"m {expected}=1i {Ts}\n");
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"c:\dir\", "\"c:\\\\dir\\\\\"")]
    [InlineData("a,b=c d", "\"a,b=c d\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("", "\"\"")]
    [InlineData("Trời mưa 🌧", "\"Trời mưa 🌧\"")]
    public void Encode_StringField_EscapesQuoteAndBackslash(string value, string expected)
    {
        Encode(Point("m", FieldValue.String("s", value))).Should().Be($"m s={expected} {Ts}\n");
    }

    [Theory]
    [InlineData(2.31, "2.31")]
    [InlineData(1.0, "1")]
    [InlineData(-0.0, "-0")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e20, "1E+20")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    [InlineData(double.Epsilon, "5E-324")]
    [InlineData(-123456.789, "-123456.789")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-0.0123, "-0.0123")]
    [InlineData(999999999999999.0, "999999999999999")]
    [InlineData(1.0390000000000001, "1.0390000000000001")]
    public void Encode_Float_ShortestRoundTrip(double value, string expected)
    {
        string line = Encode(Point("m", FieldValue.Float("f", value)));

        line.Should().Be($"m f={expected} {Ts}\n");
        double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Should().Be(value);
    }

    [Fact]
    public void WriteFloat_RandomValues_RoundTripExactly()
    {
        var random = new Random(12345);
        byte[] buffer = new byte[64];
        for (int i = 0; i < 200_000; i++)
        {
            double d = (i % 3) switch
            {
                0 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                1 => Math.Round(random.NextDouble() * 1000, random.Next(0, 8)) * (random.Next(2) == 0 ? 1 : -1),
                _ => random.NextDouble() * Math.Pow(10, random.Next(-8, 16)),
            };
            if (!double.IsFinite(d))
            {
                continue;
            }

            int n = LineProtocolEncoder.WriteFloat(d, buffer);
            string text = Encoding.ASCII.GetString(buffer, 0, n);
            double back = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            back.Should().Be(d, text);
            text.Length.Should().BeLessThanOrEqualTo(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Length + 6, text);
        }
    }

    [Fact]
    public void Encode_EveryFieldKind_InDeclaredOrder()
    {
        string line = Encode(Point(
            "m",
            FieldValue.Float("f", 1.5),
            FieldValue.Integer("i", long.MinValue),
            FieldValue.UInteger("u", 42),
            FieldValue.Boolean("b", false),
            FieldValue.String("s", "x")));

        line.Should().Be($"m f=1.5,i=-9223372036854775808i,u=42i,b=false,s=\"x\" {Ts}\n");
    }

    [Fact]
    public void Encode_UnsignedForV2_UsesUSuffixAndFullRange()
    {
        Encode(Point("m", FieldValue.UInteger("u", ulong.MaxValue)), unsignedAsInteger: false)
            .Should().Be($"m u=18446744073709551615u {Ts}\n");
    }

    [Fact]
    public void Encode_UnsignedAboveLongMaxForV1_Throws()
    {
        Action act = () => Encode(Point("m", FieldValue.UInteger("u", (ulong)long.MaxValue + 1)));

        act.Should().Throw<ArgumentException>().WithMessage("*signed 64-bit*");
    }

    [Theory]
    [InlineData(WritePrecision.Nanoseconds, 1_763_780_100_123_456_789L)]
    [InlineData(WritePrecision.Microseconds, 1_763_780_100_123_456L)]
    [InlineData(WritePrecision.Milliseconds, 1_763_780_100_123L)]
    [InlineData(WritePrecision.Seconds, 1_763_780_100L)]
    public void Encode_Precision_TruncatesTimestamp(WritePrecision precision, long expected)
    {
        Encode(Point("m", FieldValue.Integer("v", 1)), precision).Should().Be($"m v=1i {expected}\n");
    }

    [Fact]
    public void ToPrecision_NegativeTimestamp_RoundsDown()
    {
        LineProtocolEncoder.ToPrecision(-1, WritePrecision.Seconds).Should().Be(-1);
        LineProtocolEncoder.ToPrecision(-1_000_000_000, WritePrecision.Seconds).Should().Be(-1);
    }

    [Fact]
    public void Encode_EmptyTagValue_LeavesTagOut()
    {
        Encode(Point("m", [("a", ""), ("b", "x")], FieldValue.Integer("v", 1))).Should().Be($"m,b=x v=1i {Ts}\n");
    }

    public static TheoryData<string, PointData> ForbiddenPoints => new()
    {
        { "no fields", Point("m") },
        { "empty measurement", Point("", FieldValue.Integer("v", 1)) },
        { "comment measurement", Point("#m", FieldValue.Integer("v", 1)) },
        { "NaN", Point("m", FieldValue.Float("v", double.NaN)) },
        { "+Inf", Point("m", FieldValue.Float("v", double.PositiveInfinity)) },
        { "-Inf", Point("m", FieldValue.Float("v", double.NegativeInfinity)) },
        { "lone surrogate in tag", Point("m", [("k", "a\uD800b")], FieldValue.Integer("v", 1)) },
        { "lone surrogate in string", Point("m", FieldValue.String("s", "\uDC00")) },
        { "newline in measurement", Point("m\n", FieldValue.Integer("v", 1)) },
        { "CR in tag key", Point("m", [("k\r", "v")], FieldValue.Integer("v", 1)) },
        { "newline in tag value", Point("m", [("k", "a\nb")], FieldValue.Integer("v", 1)) },
        { "newline in field key", Point("m", FieldValue.Integer("v\n", 1)) },
        { "empty tag key", Point("m", [("", "v")], FieldValue.Integer("v", 1)) },
        { "empty field key", Point("m", FieldValue.Integer("", 1)) },
        { "tag value ending in backslash", Point("m", [("k", @"v\")], FieldValue.Integer("v", 1)) },
        { "tag key ending in backslash", Point("m", [(@"k\", "v")], FieldValue.Integer("v", 1)) },
        { "backslash before space in tag", Point("m", [("k", @"a\ b")], FieldValue.Integer("v", 1)) },
        { "backslash before comma in measurement", Point(@"m\,x", FieldValue.Integer("v", 1)) },
        { "backslash before equals in field key", Point("m", FieldValue.Integer(@"a\=b", 1)) },
        { "measurement ending in backslash", Point(@"m\", FieldValue.Integer("v", 1)) },
        { "tag key time", Point("m", [("time", "v")], FieldValue.Integer("v", 1)) },
        { "field key time", Point("m", FieldValue.Integer("time", 1)) },
        { "duplicate tag key", Point("m", [("k", "a"), ("k", "b")], FieldValue.Integer("v", 1)) },
        { "duplicate field key", Point("m", FieldValue.Integer("v", 1), FieldValue.Float("v", 2)) },
        { "null string field", Point("m", FieldValue.String("s", null!)) },
        { "string field over 64 KiB", Point("m", FieldValue.String("s", new string('x', 65 * 1024))) },
        { "timestamp MinValue", new PointData("m", default, new[] { FieldValue.Integer("v", 1) }, long.MinValue) },
        { "timestamp MaxValue", new PointData("m", default, new[] { FieldValue.Integer("v", 1) }, long.MaxValue) },
    };

    [Theory]
    [MemberData(nameof(ForbiddenPoints))]
    public void Encode_ForbiddenInput_ThrowsArgumentException(string reason, PointData point)
    {
        byte[] buffer = new byte[256 * 1024];
        Action act = () => LineProtocolEncoder.Encode(in point, buffer, WritePrecision.Nanoseconds, unsignedAsInteger: true);

        act.Should().Throw<ArgumentException>(reason);
    }

    [Fact]
    public void Encode_DestinationTooSmall_ReturnsMinusOneAtEveryLength()
    {
        PointData point = Point("w a", [("z", "q r"), ("p", "x")], FieldValue.String("s", "a\"b"), FieldValue.Float("f", 1.25));
        string full = Encode(point);
        int length = Encoding.UTF8.GetByteCount(full);

        for (int size = 0; size < length; size++)
        {
            byte[] buffer = new byte[size];
            LineProtocolEncoder.Encode(in point, buffer, WritePrecision.Nanoseconds, true).Should().Be(-1, $"size {size}");
        }

        byte[] exact = new byte[length];
        LineProtocolEncoder.Encode(in point, exact, WritePrecision.Nanoseconds, true).Should().Be(length);
    }

    [Fact]
    public void Encode_ManyTags_SortsBeyondStackLimit()
    {
        (string, string)[] tags = Enumerable.Range(0, 100).Reverse().Select(i => ($"t{i:D3}", "v")).ToArray();

        string line = Encode(Point("m", tags, FieldValue.Integer("v", 1)));

        line.Should().StartWith("m,t000=v,t001=v,t002=v,");
        line.Should().Contain("t098=v,t099=v v=1i");
    }

    [Fact]
    public void Encode_SteadyState_AllocatesNothing()
    {
        var tags = new KeyValuePair<string, string>[] { new("zone", "danang-camle"), new("province", "danang"), new("sensor", "dn-1") };
        var fields = new[] { FieldValue.Float("level", 2.31) };
        var point = new PointData("water", tags, fields, Ts);
        byte[] buffer = new byte[1024];
        LineProtocolEncoder.Encode(in point, buffer, WritePrecision.Nanoseconds, true);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            LineProtocolEncoder.Encode(in point, buffer, WritePrecision.Nanoseconds, true);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
