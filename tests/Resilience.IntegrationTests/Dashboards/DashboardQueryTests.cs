using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>
/// Every panel query of every dashboard, with Grafana's macros and the template variables substituted the way Grafana
/// does (variable values taken from the data through the variables' own SHOW TAG VALUES queries), runs against a real
/// influxd and returns at least one series.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardQueryTests : IClassFixture<InfluxdWithDashboardData>
{
    private readonly InfluxdWithDashboardData _data;

    public DashboardQueryTests(InfluxdWithDashboardData data)
    {
        _data = data;
    }

    public static TheoryData<string> Dashboards() => [.. DashboardFiles.DashboardNames()];

    [Fact]
    public async Task Fill_CoversEveryMeasurementOfTheSchema()
    {
        using JsonDocument answer = await _data.Influx.QueryAsync("SHOW MEASUREMENTS", "resilience");
        var measurements = answer.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")
            .EnumerateArray().Select(v => v[0].GetString()).ToList();

        measurements.Should().BeEquivalentTo(["water", "rain", "air", "weather", "device", "aqi", "zone_status", "alert", "pipeline"]);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Dashboard_EveryPanelQuery_ReturnsAtLeastOneSeries(string name)
    {
        JsonObject dashboard = DashboardFiles.Load(name);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["timeFilter"] = "time > now() - 24h",
            ["__interval"] = "10m",
        };
        foreach (JsonNode? variable in dashboard["templating"]!["list"]!.AsArray())
        {
            string query = Substitute((string)variable!["query"]!, values);
            List<string> options = await TagValuesAsync(query);
            options.Should().NotBeEmpty($"variable '{variable["name"]}' of {name} finds values ({query})");
            values[(string)variable["name"]!] = EscapeRegex(options.Order(StringComparer.Ordinal).First());
        }

        int queries = 0;
        foreach (JsonNode? panel in dashboard["panels"]!.AsArray().Where(p => (string?)p!["type"] != "row"))
        {
            foreach (JsonNode? target in panel!["targets"]!.AsArray())
            {
                string query = Substitute((string)target!["query"]!, values);
                query.Should().NotMatchRegex(@"\$[A-Za-z_]", "every variable of the query is defined");
                using JsonDocument answer = await _data.Influx.QueryAsync(query, "resilience");
                JsonElement result = answer.RootElement.GetProperty("results")[0];
                result.TryGetProperty("error", out JsonElement error).Should().BeFalse($"panel '{panel["title"]}' query {query} fails: {error}");
                result.TryGetProperty("series", out JsonElement series).Should().BeTrue($"panel '{panel["title"]}' query {query} returns a series");
                series.GetArrayLength().Should().BeGreaterThan(0);
                series[0].GetProperty("values").GetArrayLength().Should().BeGreaterThan(0);
                queries++;
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: {queries} panel queries returned series");
        queries.Should().BeGreaterThan(0);
    }

    private async Task<List<string>> TagValuesAsync(string query)
    {
        using JsonDocument answer = await _data.Influx.QueryAsync(query, "resilience");
        var list = new List<string>();
        JsonElement result = answer.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("series", out JsonElement series))
        {
            foreach (JsonElement s in series.EnumerateArray())
            {
                foreach (JsonElement row in s.GetProperty("values").EnumerateArray())
                {
                    list.Add(row[1].GetString()!);
                }
            }
        }

        return list;
    }

    // Grafana replaces $name (longest names first here, so $zone never eats $zones).
    private static string Substitute(string query, Dictionary<string, string> values)
    {
        foreach ((string key, string value) in values.OrderByDescending(p => p.Key.Length))
        {
            query = query.Replace("$" + key, value, StringComparison.Ordinal);
        }

        return query;
    }

    // Grafana's InfluxDB datasource escapes regex metacharacters in variable values used inside /…/.
    private static string EscapeRegex(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if ("\\^$*+?.()|[]{}/".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
