using System.Text.Json.Nodes;

namespace Resilience.IntegrationTests.Dashboards;

/// <summary>Finds the repository's dashboards/ folder from the test output directory.</summary>
internal static class DashboardFiles
{
    public const string DatasourceUid = "resilience-influx";

    public static string RepositoryRoot
    {
        get
        {
            DirectoryInfo? dir = new(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Resilience.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new DirectoryNotFoundException("Resilience.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Dashboards => Path.Combine(RepositoryRoot, "dashboards");

    public static IEnumerable<string> DashboardNames() =>
        Directory.EnumerateFiles(Path.Combine(Dashboards, "json"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Dashboards, "json", name)))!.AsObject();
}
