using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Resilience.Alerts.Storage;

/// <summary>
/// SQLite under the data directory: WAL, <c>synchronous=FULL</c>, a 5 s busy timeout. A path of the form
/// <c>file:name?mode=memory&amp;cache=shared</c> gives an in-memory database (unit tests), kept alive until disposed.
/// </summary>
internal sealed class SqliteStateDatabase : StateDatabase
{
    private const int SqliteFull = 13;
    private const int SqliteIoErr = 10;
    private readonly string _connectionString;
    private readonly SqliteConnection? _keepAlive;

    /// <summary>Opens (and creates) the database file at <paramref name="path"/>.</summary>
    public SqliteStateDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        bool memory = path.Contains("mode=memory", StringComparison.Ordinal);
        if (!memory && Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        if (memory)
        {
            _keepAlive = (SqliteConnection)Open();
        }
        else
        {
            using DbConnection connection = Open();
            Execute(connection, null, "PRAGMA journal_mode=WAL");
        }
    }

    /// <summary>The file path or in-memory name.</summary>
    public string DataSource => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc />
    public override StorageProvider Provider => StorageProvider.Sqlite;

    /// <inheritdoc />
    public override string Describe => "sqlite:" + DataSource;

    /// <inheritdoc />
    public override string IdentityKey => "INTEGER PRIMARY KEY AUTOINCREMENT";

    /// <inheritdoc />
    public override string Blob => "BLOB";

    /// <inheritdoc />
    public override string ForUpdate => string.Empty; // one writer at a time: the transaction holds the file lock

    /// <inheritdoc />
    protected override string? SchemaLock => null; // BEGIN takes the write lock on the first statement

    /// <inheritdoc />
    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;");
        return connection;
    }

    /// <inheritdoc />
    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Task.FromResult(Open());

    /// <inheritdoc />
    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    /// <inheritdoc />
    public override bool IsStorageFull(Exception exception) =>
        exception is SqliteException e && (e.SqliteErrorCode == SqliteFull || (e.SqliteErrorCode == SqliteIoErr && e.Message.Contains("full", StringComparison.OrdinalIgnoreCase)))
        || exception is IOException { HResult: 28 or unchecked((int)0x80070070) };

    /// <inheritdoc />
    public override bool HasColumn(DbConnection connection, string table, string column)
    {
        using DbCommand command = Command(connection, null, "SELECT COUNT(*) FROM pragma_table_info(@t) WHERE name = @c");
        Add(command, "@t", table);
        Add(command, "@c", column);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _keepAlive?.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        base.Dispose(disposing);
    }
}
