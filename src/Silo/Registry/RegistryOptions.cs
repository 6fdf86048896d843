namespace Resilience.Silo.Registry;

/// <summary>Sensor registry settings (<c>Resilience:Registry</c>).</summary>
public sealed class RegistryOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Registry";

    /// <summary>
    /// The registry YAML file. Default: empty, meaning the bundled <c>Registry/registry.yaml</c> next to the
    /// executable (the checked-in <c>src/Silo/Registry/registry.yaml</c>).
    /// </summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Watch the file and reload on change. Default true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>The file to read: <see cref="Path"/> or the bundled one.</summary>
    public string ResolvedPath => string.IsNullOrWhiteSpace(Path)
        ? System.IO.Path.Combine(AppContext.BaseDirectory, "Registry", "registry.yaml")
        : System.IO.Path.GetFullPath(Path);
}
