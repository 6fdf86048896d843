using System.Data.Common;
using Microsoft.Data.Sqlite;
using Resilience.Alerts.Storage;

namespace Resilience.Alerts.Tests.Storage;

/// <summary>
/// A real in-memory SQLite database whose connections fail with SQLite's own "database or disk is full" error
/// while <see cref="Failing"/> is set, as a full data directory makes them fail.
/// </summary>
internal sealed class FaultyStateDatabase : StateDatabase
{
    private readonly SqliteStateDatabase _inner = new($"file:faulty-{Guid.NewGuid():N}?mode=memory&cache=shared");

    public volatile bool Failing;

    public int FailedOpens;

    public override StorageProvider Provider => _inner.Provider;

    public override string Describe => _inner.Describe;

    public override string IdentityKey => _inner.IdentityKey;

    public override string Blob => _inner.Blob;

    public override string ForUpdate => _inner.ForUpdate;

    protected override string? SchemaLock => null;

    public override DbConnection Open()
    {
        if (Failing)
        {
            Interlocked.Increment(ref FailedOpens);
            throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
        }

        return _inner.Open();
    }

    public override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Task.FromResult(Open());

    public override bool IsUniqueViolation(Exception exception) => _inner.IsUniqueViolation(exception);

    public override bool IsStorageFull(Exception exception) => _inner.IsStorageFull(exception);

    public override bool HasColumn(DbConnection connection, string table, string column) => _inner.HasColumn(connection, table, column);

    protected override void Dispose(bool disposing)
    {
        _inner.Dispose();
        base.Dispose(disposing);
    }
}
