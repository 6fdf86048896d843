using System.Text.Json;
using Resilience.Ingest.Storage;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Storage;

/// <summary>Tricky points go through the writer into a real influxd and come back value for value.</summary>
[Trait("Category", "Integration")]
public sealed class InfluxPointWriterCorpusTests(InfluxdClassFixture fixture) : IClassFixture<InfluxdClassFixture>
{
    private const long BaseSeconds = 1_795_305_600;
    private const long SubSecondNs = 123_456_789;

    private static readonly (KeyValuePair<string, string>[] Tags, FieldValue[] Fields)[] s_corpus =
    [
        (Tags(("province", "danang"), ("area", "Cẩm Lệ")), [FieldValue.Float("f_float", 2.31)]),
        (Tags(("tag key,with=all specials", "value, with=all \"specials\"")), [FieldValue.Float("field key, =\"q\"", 1.5)]),
        (Tags(("k", @"back\slash"), ("k2", @"double\\back")), [FieldValue.Integer("i_int", long.MaxValue)]),
        (Tags(("k", "min")), [FieldValue.Integer("i_int", long.MinValue)]),
        (Tags(("k", "unsigned")), [FieldValue.UInteger("u_uint", long.MaxValue)]),
        (Tags(("k", "true")), [FieldValue.Boolean("b_bool", true)]),
        (Tags(("k", "false")), [FieldValue.Boolean("b_bool", false)]),
        (Tags(("k", "string")), [FieldValue.String("s_str", "quote \" backslash \\ comma, equals= space newline\n tab\t Đà Nẵng 🌊")]),
        (Tags(("k", "empty string")), [FieldValue.String("s_str", string.Empty)]),
        (Tags(("k", "string ending in backslash")), [FieldValue.String("s_str", @"c:\dir\")]),
        (Tags(("k", "tiny")), [FieldValue.Float("f_float", 1e-300)]),
        (Tags(("k", "huge")), [FieldValue.Float("f_float", double.MaxValue)]),
        (Tags(("k", "denormal")), [FieldValue.Float("f_float", double.Epsilon)]),
        (Tags(("k", "sum")), [FieldValue.Float("f_float", 0.1 + 0.2)]),
        (Tags(("k", "integral")), [FieldValue.Float("f_float", 1.0)]),
        (Tags(("k", "big integral")), [FieldValue.Float("f_float", 123456789012345680.0)]),
        (Tags(("k", "negative")), [FieldValue.Float("f_float", -273.15)]),
        (Tags(("k", "🌧 mưa rào")), [FieldValue.Float("f_float", 0.5)]),
        (Tags(("empty", string.Empty), ("k", "with empty tag")), [FieldValue.Float("f_float", 3.0)]),
        (Tags(("k", "all kinds")), [FieldValue.Float("f_float", 9.5), FieldValue.Integer("i_int", -42), FieldValue.Boolean("b_bool", true), FieldValue.String("s_str", "x"), FieldValue.UInteger("u_uint", 7)]),
    ];

    private static readonly string[] s_measurements = ["Mực nước, trạm=1", @"back\slash", "quote\"d", "🌊", "a=b"];

    [Theory]
    [InlineData(WritePrecision.Nanoseconds)]
    [InlineData(WritePrecision.Microseconds)]
    [InlineData(WritePrecision.Milliseconds)]
    [InlineData(WritePrecision.Seconds)]
    public async Task WriteCorpus_ReadBackThroughInfluxQl_ValueForValue(WritePrecision precision)
    {
        string database = "corpus_" + precision.ToString().ToLowerInvariant();
        await WriterFactory.CreateDatabaseAsync(fixture.Server, database);
        using var data = new TempDirectory("writer-corpus");
        InfluxOptions options = WriterFactory.Options(fixture.Server, data.Path, database);
        options.Precision = precision;
        await using (InfluxPointWriter writer = WriterFactory.Start(options))
        {
            for (int i = 0; i < s_corpus.Length; i++)
            {
                var point = new PointData("corpus", s_corpus[i].Tags, s_corpus[i].Fields, TimestampNs(i));
                writer.TryWrite(in point).Should().BeTrue();
            }

            for (int i = 0; i < s_measurements.Length; i++)
            {
                var point = new PointData(s_measurements[i], default, new[] { FieldValue.Float("v", i) }, TimestampNs(i));
                writer.TryWrite(in point).Should().BeTrue();
            }

            await writer.FlushAsync(TestContext.Current.CancellationToken);
            InfluxWriterSnapshot snapshot = writer.GetSnapshot();
            snapshot.Written.Should().Be(s_corpus.Length + s_measurements.Length, snapshot.LastError);
            snapshot.DeadLetters.Should().Be(0);
        }

        using JsonDocument result = await fixture.Server.QueryAsync("SELECT * FROM \"corpus\"", database);
        JsonElement series = result.RootElement.GetProperty("results")[0].GetProperty("series")[0];
        string[] columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Dictionary<long, JsonElement> rows = series.GetProperty("values").EnumerateArray().ToDictionary(r => r[0].GetInt64());
        rows.Should().HaveCount(s_corpus.Length);
        for (int i = 0; i < s_corpus.Length; i++)
        {
            long expectedTime = LineProtocolEncoder.ToPrecision(TimestampNs(i), precision) * PrecisionNs(precision);
            rows.Should().ContainKey(expectedTime);
            JsonElement row = rows[expectedTime];
            var expectedColumns = new HashSet<string> { "time" };
            foreach (KeyValuePair<string, string> tag in s_corpus[i].Tags.Where(t => t.Value.Length > 0))
            {
                expectedColumns.Add(tag.Key);
                row[Array.IndexOf(columns, tag.Key)].GetString().Should().Be(tag.Value, $"tag {tag.Key} of point {i}");
            }

            foreach (FieldValue field in s_corpus[i].Fields)
            {
                expectedColumns.Add(field.Key);
                JsonElement value = row[Array.IndexOf(columns, field.Key)];
                switch (field.Kind)
                {
                    case FieldKind.Float:
                        value.GetDouble().Should().Be(field.FloatValue, $"field {field.Key} of point {i}");
                        break;
                    case FieldKind.Integer:
                    case FieldKind.UInteger:
                        value.GetInt64().Should().Be(field.IntegerBits, $"field {field.Key} of point {i}");
                        break;
                    case FieldKind.Boolean:
                        value.GetBoolean().Should().Be(field.IntegerBits != 0, $"field {field.Key} of point {i}");
                        break;
                    default:
                        value.GetString().Should().Be(field.StringValue, $"field {field.Key} of point {i}");
                        break;
                }
            }

            for (int c = 0; c < columns.Length; c++)
            {
                if (!expectedColumns.Contains(columns[c]))
                {
                    row[c].ValueKind.Should().Be(JsonValueKind.Null, $"column {columns[c]} of point {i}");
                }
            }
        }

        using JsonDocument types = await fixture.Server.QueryAsync("SHOW FIELD KEYS FROM \"corpus\"", database);
        Dictionary<string, string> fieldTypes = types.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")
            .EnumerateArray().ToDictionary(v => v[0].GetString()!, v => v[1].GetString()!);
        fieldTypes.Should().Contain("f_float", "float").And.Contain("i_int", "integer").And.Contain("u_uint", "integer")
            .And.Contain("b_bool", "boolean").And.Contain("s_str", "string").And.Contain("field key, =\"q\"", "float");

        using JsonDocument measurements = await fixture.Server.QueryAsync("SHOW MEASUREMENTS", database);
        string[] names = measurements.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")
            .EnumerateArray().Select(v => v[0].GetString()!).ToArray();
        names.Should().BeEquivalentTo(s_measurements.Append("corpus"));
    }

    private static long TimestampNs(int i) => ((BaseSeconds + i) * 1_000_000_000) + SubSecondNs;

    private static long PrecisionNs(WritePrecision precision) => precision switch
    {
        WritePrecision.Microseconds => 1_000,
        WritePrecision.Milliseconds => 1_000_000,
        WritePrecision.Seconds => 1_000_000_000,
        _ => 1,
    };

    private static KeyValuePair<string, string>[] Tags(params (string Key, string Value)[] tags) =>
        tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)).ToArray();
}
