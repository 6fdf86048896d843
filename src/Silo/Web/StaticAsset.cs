namespace Resilience.Silo.Web;

/// <summary>One embedded page or asset, read once at start.</summary>
internal sealed class StaticAsset
{
    public StaticAsset(string name, byte[] content, string contentType, string version)
    {
        Name = name;
        Content = content;
        ContentType = contentType;
        Version = version;
        ETag = "\"" + version + "\"";
    }

    /// <summary>Path under wwwroot, e.g. <c>assets/aq.js</c>.</summary>
    public string Name { get; }

    public byte[] Content { get; }

    public string ContentType { get; }

    /// <summary>Short content hash; the <c>?v=</c> query of versioned URLs.</summary>
    public string Version { get; }

    public string ETag { get; }
}
