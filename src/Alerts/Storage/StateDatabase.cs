using System.Data;
using System.Data.Common;

namespace Resilience.Alerts.Storage;

/// <summary>
/// The relational layer under the alert ledger and grain state: a connection factory plus the few places where
/// SQLite and PostgreSQL differ (key and blob types, row locks, schema lock, fault classification). Everything
/// else is written once in the SQL both accept: <c>@name</c> parameters, <c>INSERT … ON CONFLICT … DO UPDATE</c>,
/// <c>RETURNING</c>, partial indexes, <c>CREATE … IF NOT EXISTS</c>. Stores take one of these and never branch on
/// the provider themselves.
/// </summary>
internal abstract class StateDatabase : IDisposable
{
    /// <summary>The provider.</summary>
    public abstract StorageProvider Provider { get; }

    /// <summary>Where the data is, for logs and health (a file path, or host/database; never a password).</summary>
    public abstract string Describe { get; }

    /// <summary>The column type of an auto-incremented 64-bit primary key.</summary>
    public abstract string IdentityKey { get; }

    /// <summary>The column type of binary data.</summary>
    public abstract string Blob { get; }

    /// <summary>Appended to a <c>SELECT</c> that reads a row it will update in the same transaction.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Opens a connection ready for use (pragmas applied).</summary>
    public abstract DbConnection Open();

    /// <summary>Opens a connection ready for use (pragmas applied).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>True when <paramref name="exception"/> says the disk or the database is full.</summary>
    public abstract bool IsStorageFull(Exception exception);

    /// <summary>
    /// Runs <paramref name="ddl"/> (statements separated by <c>;</c>, each idempotent) in one transaction, under
    /// a lock that keeps two processes creating the same schema from racing each other.
    /// </summary>
    public void EnsureSchema(string ddl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ddl);
        using DbConnection connection = Open();
        using DbTransaction tx = connection.BeginTransaction();
        if (SchemaLock is { } lockSql)
        {
            Execute(connection, tx, lockSql);
        }

        foreach (string statement in ddl.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Execute(connection, tx, statement);
        }

        tx.Commit();
    }

    /// <summary>True when <paramref name="table"/> has <paramref name="column"/> (for additive schema changes).</summary>
    public abstract bool HasColumn(DbConnection connection, string table, string column);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a command in <paramref name="transaction"/>.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // SQL text is the stores' own constants; values always go through parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    /// <summary>Runs a statement without results.</summary>
    public static int Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using DbCommand command = Command(connection, transaction, sql);
        return command.ExecuteNonQuery();
    }

    /// <summary>Adds a typed parameter (typed so PostgreSQL can infer <c>@p IS NULL</c>); null becomes SQL NULL.</summary>
    public static void Add(DbCommand command, string name, object? value, DbType type)
    {
        ArgumentNullException.ThrowIfNull(command);
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Adds a 64-bit integer parameter.</summary>
    public static void Add(DbCommand command, string name, long value) => Add(command, name, value, DbType.Int64);

    /// <summary>Adds a 32-bit integer parameter.</summary>
    public static void Add(DbCommand command, string name, int value) => Add(command, name, value, DbType.Int32);

    /// <summary>Adds a text parameter (null allowed).</summary>
    public static void Add(DbCommand command, string name, string? value) => Add(command, name, value, DbType.String);

    /// <summary>Creates the database for <paramref name="options"/>; SQLite files go to <paramref name="sqlitePath"/>.</summary>
    public static StateDatabase Create(StorageOptions options, string sqlitePath)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider == StorageProvider.Postgres
            ? new PostgresStateDatabase(options.ConnectionString ?? throw new InvalidOperationException("Postgres storage needs a connection string."))
            : new SqliteStateDatabase(sqlitePath);
    }

    /// <summary>A statement that serialises schema creation across processes, or null.</summary>
    protected abstract string? SchemaLock { get; }

    /// <summary>Releases pooled connections.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
