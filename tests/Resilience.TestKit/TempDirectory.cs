namespace Resilience.TestKit;

/// <summary>A directory under the system temp path, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates a fresh directory whose name starts with <paramref name="prefix"/>.</summary>
    public TempDirectory(string prefix = "resilience")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the OS temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
