namespace Resilience.Alerts.Storage;

/// <summary>Relational storage of grain state and the alert ledger (<c>Resilience:Storage</c>).</summary>
internal sealed class StorageOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Resilience:Storage";

    /// <summary><c>sqlite</c> (default: files under the data directory) or <c>postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The Npgsql connection string; required for <c>postgres</c>, ignored for <c>sqlite</c>.</summary>
    public string? ConnectionString { get; set; }
}
