namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>Files of the repository the end-to-end tests run against, found from the test's output directory.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Resilience.sln.</summary>
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Resilience.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"Resilience.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The silo's sensor registry, src/Silo/Registry/registry.yaml.</summary>
    public static string Registry => Path.Combine(Root, "src", "Silo", "Registry", "registry.yaml");

    /// <summary>A built-in scenario file, simulators/scenarios/<paramref name="name"/>.yaml.</summary>
    public static string Scenario(string name) => Path.Combine(Root, "simulators", "scenarios", name + ".yaml");
}
