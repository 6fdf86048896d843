namespace Resilience.Alerts.Storage;

/// <summary>Where grain state and the alert ledger live (<c>Resilience:Storage:Provider</c>).</summary>
internal enum StorageProvider
{
    /// <summary>SQLite files under the data directory (one box; the default).</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database (a cluster).</summary>
    Postgres,
}
