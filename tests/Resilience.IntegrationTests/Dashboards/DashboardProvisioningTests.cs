using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>The Grafana provisioning files and dashboard JSON parse and reference only the provisioned datasource.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardProvisioningTests
{
    public static TheoryData<string> Dashboards() => [.. DashboardFiles.DashboardNames()];

    [Fact]
    public void DatasourceYaml_Parses_InfluxQlWithFixedUidAndCredentialsFromEnvironment()
    {
        Dictionary<object, object> root = LoadYaml("provisioning/datasources/influxdb.yaml");

        root["apiVersion"].Should().Be("1");
        var datasource = (Dictionary<object, object>)((List<object>)root["datasources"]).Single();
        datasource["uid"].Should().Be(DashboardFiles.DatasourceUid);
        datasource["type"].Should().Be("influxdb");
        datasource["url"].Should().Be("$INFLUX_URL");
        datasource["user"].Should().Be("$INFLUX_USER");
        var jsonData = (Dictionary<object, object>)datasource["jsonData"];
        jsonData["version"].Should().Be("InfluxQL");
        jsonData["dbName"].Should().Be("resilience");
        ((Dictionary<object, object>)datasource["secureJsonData"])["password"].Should().Be("$INFLUX_PASSWORD");
    }

    [Fact]
    public void DashboardProviderYaml_Parses_FileProviderAtThePathComposeMounts()
    {
        Dictionary<object, object> root = LoadYaml("provisioning/dashboards/resilience.yaml");

        var provider = (Dictionary<object, object>)((List<object>)root["providers"]).Single();
        provider["type"].Should().Be("file");
        string path = (string)((Dictionary<object, object>)provider["options"])["path"];
        path.Should().Be("/var/lib/grafana/dashboards");

        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(DashboardFiles.RepositoryRoot, "docker-compose.yml")));
        var grafana = (Dictionary<object, object>)((Dictionary<object, object>)compose["services"])["grafana"];
        ((List<object>)grafana["volumes"]).Cast<string>().Should().Contain(v => v.EndsWith(":" + path + ":ro", StringComparison.Ordinal));
    }

    [Fact]
    public void Dashboards_TheFourViews_ExistWithTheirTemplateVariables()
    {
        var variables = new HashSet<string>(StringComparer.Ordinal);
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in DashboardFiles.DashboardNames())
        {
            JsonObject dashboard = DashboardFiles.Load(name);
            uids.Add((string)dashboard["uid"]!).Should().BeTrue($"{name} has a unique uid");
            foreach (JsonNode? v in dashboard["templating"]!["list"]!.AsArray())
            {
                variables.Add((string)v!["name"]!);
                ((string)v["query"]!).Should().StartWith("SHOW TAG VALUES");
            }
        }

        DashboardFiles.DashboardNames().Should().Contain(["province-overview.json", "flood-zone.json", "air-quality.json", "pipeline-health.json"]);
        variables.Should().Contain(["province", "zone", "station"]);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_EveryDatasourceAndTarget_UsesTheProvisionedUidAndRawInfluxQl(string name)
    {
        JsonObject dashboard = DashboardFiles.Load(name);
        var datasources = new List<JsonObject>();
        Collect(dashboard, datasources);

        datasources.Should().NotBeEmpty();
        datasources.Should().OnlyContain(d => (string?)d["uid"] == DashboardFiles.DatasourceUid && (string?)d["type"] == "influxdb");
        JsonArray panels = dashboard["panels"]!.AsArray();
        panels.Should().NotBeEmpty();
        panels.Select(p => (int)p!["id"]!).Should().OnlyHaveUniqueItems();
        foreach (JsonNode? panel in panels.Where(p => (string?)p!["type"] != "row"))
        {
            JsonArray targets = panel!["targets"]!.AsArray();
            targets.Should().NotBeEmpty($"panel '{panel["title"]}' queries something");
            foreach (JsonNode? target in targets)
            {
                ((bool)target!["rawQuery"]!).Should().BeTrue();
                ((string)target["query"]!).Should().StartWith("SELECT");
            }
        }
    }

    private static void Collect(JsonNode? node, List<JsonObject> datasources)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? value) in obj)
                {
                    if (key == "datasource" && value is JsonObject ds)
                    {
                        datasources.Add(ds);
                    }
                    else if (key == "datasource" && value is not null)
                    {
                        datasources.Add(new JsonObject { ["uid"] = value.ToJsonString(), ["type"] = "?" });
                    }

                    Collect(value, datasources);
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Collect(item, datasources);
                }

                break;
        }
    }

    private static Dictionary<object, object> LoadYaml(string relative)
    {
        string text = File.ReadAllText(Path.Combine(DashboardFiles.Dashboards, relative));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(text);
    }
}
