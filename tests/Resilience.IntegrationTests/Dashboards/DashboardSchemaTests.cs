using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resilience.Simulation.Registry;
using Resilience.TestKit;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>
/// Every dashboard against the Grafana foundation SDK's dashboard and panel types: node runs
/// dashboards/schema/validate.mjs (ajv over a JSON schema generated from the SDK pinned in its package-lock.json;
/// ./test.sh runs <c>npm ci</c> there). The schema's own gaps are listed by the script and in dashboards/README.md.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardSchemaTests
{
    private static string SchemaDirectory => Path.Combine(DashboardFiles.Dashboards, "schema");

    [Fact]
    public async Task EveryDashboard_IsValidAgainstTheFoundationSdkSchema()
    {
        (int exit, string output) = await ValidateAsync([]);

        using JsonDocument report = JsonDocument.Parse(output);
        var files = report.RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Select(f => Path.GetFileName(f.GetProperty("file").GetString())).Should().BeEquivalentTo(DashboardFiles.DashboardNames(), "every dashboard file is checked");
        foreach (JsonElement f in files)
        {
            f.GetProperty("valid").GetBoolean().Should().BeTrue($"{f.GetProperty("file").GetString()}: {f.GetProperty("errors")}");
        }

        exit.Should().Be(0);
        report.RootElement.GetProperty("gaps").GetArrayLength().Should().BeGreaterThan(0, "the schema gaps left alone are named");
    }

    [Fact]
    public async Task CarelessDashboard_IsRefusedNamingEachFault()
    {
        // What an export "for sharing externally" or a hand edit leaves behind: a variable without its current value,
        // a link without its required fields, a time-series panel without legend/tooltip options, an unknown key.
        JsonObject dashboard = DashboardFiles.Load("flood-zone.json");
        dashboard["templating"]!["list"]![0]!["current"] = new JsonObject();
        dashboard["links"]![0]!.AsObject().Remove("icon");
        JsonObject timeseries = dashboard["panels"]!.AsArray().First(p => (string?)p!["type"] == "timeseries")!.AsObject();
        timeseries["options"]!.AsObject().Remove("legend");
        dashboard["colour"] = "blue";
        using var dir = new TempDirectory("dashboard-schema");
        string file = Path.Combine(dir.Path, "careless.json");
        await File.WriteAllTextAsync(file, dashboard.ToJsonString(), TestContext.Current.CancellationToken);

        (int exit, string output) = await ValidateAsync([file]);

        exit.Should().Be(1);
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement result = report.RootElement.GetProperty("files")[0];
        result.GetProperty("valid").GetBoolean().Should().BeFalse();
        string errors = string.Join('\n', result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        errors.Should().Contain("/templating/list/0/current must have required property 'text'")
            .And.Contain("/links/0 must have required property 'icon'")
            .And.Contain($"panel \"{timeseries["title"]}\" (timeseries) options must have required property 'legend'")
            .And.Contain("must NOT have additional properties 'colour'");
    }

    [Fact]
    public async Task NotJson_IsRefusedAndTheOtherFilesStillChecked()
    {
        using var dir = new TempDirectory("dashboard-schema");
        string bad = Path.Combine(dir.Path, "truncated.json");
        await File.WriteAllTextAsync(bad, "{\"panels\": [", TestContext.Current.CancellationToken);
        string good = Path.Combine(DashboardFiles.Dashboards, "json", "air-quality.json");

        (int exit, string output) = await ValidateAsync([bad, good]);

        exit.Should().Be(1);
        using JsonDocument report = JsonDocument.Parse(output);
        report.RootElement.GetProperty("files")[0].GetProperty("errors")[0].GetString().Should().StartWith("not JSON");
        report.RootElement.GetProperty("files")[1].GetProperty("valid").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public void WaterLevels_EveryRegistryGauge_HasAPanelWithItsOwnAlarmLines()
    {
        string registry = Path.Combine(DashboardFiles.RepositoryRoot, "src", "Silo", "Registry", "registry.yaml");
        List<SimSensor> gauges = [.. RegistryLoader.Load(registry).Where(s => s.Kind == SensorKind.WaterLevel)];
        JsonArray panels = DashboardFiles.Load("water-levels.json")["panels"]!.AsArray();
        List<JsonNode> charts = [.. panels.Where(p => (string?)p!["type"] == "timeseries").Select(p => p!)];

        Resilience.Silo.Registry.SensorRegistry siloRegistry = Resilience.Silo.Registry.RegistryLoader.LoadFile(registry);
        gauges.Should().NotBeEmpty();
        charts.Should().HaveCount(gauges.Count, "one panel per gauge (regenerate with dashboards/tools/water_levels.py)");
        foreach (SimSensor gauge in gauges)
        {
            JsonNode panel = charts.Single(p => ((string)p["targets"]![0]!["query"]!).Contains($"\"sensor\" = '{gauge.Id}'", StringComparison.Ordinal));
            JsonArray steps = panel["fieldConfig"]!["defaults"]!["thresholds"]!["steps"]!.AsArray();
            // The silo's registry, where a level no source gives is null: only sourced levels get a line.
            Resilience.Alerts.Rules.AlarmLevels official = siloRegistry.SensorsById[gauge.Id].AlarmLevels!;
            double[] known = [.. new[] { official.I, official.II, official.III }.Where(v => v is not null).Select(v => v!.Value)];
            steps.Skip(1).Select(s => (double)s!["value"]!).Should().Equal(known, (a, b) => Math.Abs(a - b) < 1e-9, $"{gauge.Id}'s lines are its own sourced alarm levels, none invented");
            ((string)panel["fieldConfig"]!["defaults"]!["custom"]!["thresholdsStyle"]!["mode"]!).Should().Be("dashed", "drawn as lines");
            ((string)panel["title"]!).Should().Contain(official.III is { } iii ? "III " + iii.ToString(CultureInfo.InvariantCulture) : "III ?");
        }
    }

    private static async Task<(int Exit, string Output)> ValidateAsync(IReadOnlyList<string> files)
    {
        string script = Path.Combine(SchemaDirectory, "validate.mjs");
        Directory.Exists(Path.Combine(SchemaDirectory, "node_modules")).Should().BeTrue($"./test.sh runs npm ci in {SchemaDirectory}");
        var info = new ProcessStartInfo(ExternalProcess.Which("node") ?? "node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("--json");
        foreach (string f in files)
        {
            info.ArgumentList.Add(f);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout;
        (process.ExitCode is 0 or 1).Should().BeTrue($"validate.mjs ran (exit {process.ExitCode}): {await stderr}");
        return (process.ExitCode, output);
    }
}
