using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Resilience.Silo.Grains;

/// <summary>
/// The default grain storage: one SQLite file (<c>&lt;DataDirectory&gt;/grains.db</c>) in WAL mode. Reads run
/// on pooled connections at the caller; writes go through a bounded channel to a single writer that commits
/// up to <see cref="MaxBatch"/> records per transaction, so 100,000 deactivations cost ~100 commits.
/// </summary>
internal sealed partial class SqliteGrainStorage : IGrainStorage, IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly string _connectionString;
    private readonly Channel<WriteRequest> _writes;
    private readonly ConcurrentBag<Reader> _readers = [];
    private readonly ILogger _logger;
    private readonly Task _writerLoop;

    public SqliteGrainStorage(string dataDirectory, ILogger<SqliteGrainStorage> logger)
    {
        _logger = logger;
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory, "grains.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();

        var writer = new SqliteConnection(_connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL;");
        Execute(writer, "PRAGMA synchronous=NORMAL;");
        Execute(writer, "PRAGMA busy_timeout=5000;");
        Execute(writer, "CREATE TABLE IF NOT EXISTS grain_state (state_name TEXT NOT NULL, grain_key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (state_name, grain_key)) WITHOUT ROWID;");
        _writes = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(8192)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerLoop = Task.Run(() => WriteLoopAsync(writer));
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public ValueTask<byte[]?> ReadAsync(string stateName, string key, CancellationToken cancellationToken)
    {
        if (!_readers.TryTake(out Reader? reader))
        {
            reader = new Reader(_connectionString);
        }

        try
        {
            return ValueTask.FromResult(reader.Read(stateName, key));
        }
        finally
        {
            _readers.Add(reader);
        }
    }

    public ValueTask WriteAsync(string stateName, string key, byte[] data, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest(stateName, key, data), cancellationToken);

    public ValueTask ClearAsync(string stateName, string key, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest(stateName, key, null), cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest(string.Empty, string.Empty, null), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop;
        while (_readers.TryTake(out Reader? r))
        {
            r.Dispose();
        }
    }

    private async ValueTask EnqueueAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        if (!_writes.Writer.TryWrite(request))
        {
            await _writes.Writer.WriteAsync(request, cancellationToken);
        }

        await request.Done.Task;
    }

    private async Task WriteLoopAsync(SqliteConnection connection)
    {
        using SqliteCommand upsert = connection.CreateCommand();
        upsert.CommandText = "INSERT INTO grain_state (state_name, grain_key, data) VALUES ($n, $k, $d) ON CONFLICT (state_name, grain_key) DO UPDATE SET data = excluded.data;";
        SqliteParameter un = upsert.Parameters.Add("$n", SqliteType.Text);
        SqliteParameter uk = upsert.Parameters.Add("$k", SqliteType.Text);
        SqliteParameter ud = upsert.Parameters.Add("$d", SqliteType.Blob);
        using SqliteCommand delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM grain_state WHERE state_name = $n AND grain_key = $k;";
        SqliteParameter dn = delete.Parameters.Add("$n", SqliteType.Text);
        SqliteParameter dk = delete.Parameters.Add("$k", SqliteType.Text);
        var batch = new List<WriteRequest>(MaxBatch);
        try
        {
            while (await _writes.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _writes.Reader.TryRead(out WriteRequest? r))
                {
                    batch.Add(r);
                }

                try
                {
                    using (SqliteTransaction tx = connection.BeginTransaction())
                    {
                        upsert.Transaction = tx;
                        delete.Transaction = tx;
                        foreach (WriteRequest r in batch)
                        {
                            if (r.StateName.Length == 0)
                            {
                                continue; // flush marker
                            }

                            if (r.Data is null)
                            {
                                dn.Value = r.StateName;
                                dk.Value = r.Key;
                                delete.ExecuteNonQuery();
                            }
                            else
                            {
                                un.Value = r.StateName;
                                uk.Value = r.Key;
                                ud.Value = r.Data;
                                upsert.ExecuteNonQuery();
                            }
                        }

                        tx.Commit();
                    }

                    foreach (WriteRequest r in batch)
                    {
                        r.Done.TrySetResult();
                    }
                }
                catch (SqliteException ex)
                {
                    Log.BatchFailed(_logger, batch.Count, ex);
                    foreach (WriteRequest r in batch)
                    {
                        r.Done.TrySetException(ex);
                    }
                }
            }
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class WriteRequest(string stateName, string key, byte[]? data)
    {
        public string StateName { get; } = stateName;

        public string Key { get; } = key;

        public byte[]? Data { get; } = data;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _select;
        private readonly SqliteParameter _name;
        private readonly SqliteParameter _key;

        public Reader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            _select = _connection.CreateCommand();
            _select.CommandText = "SELECT data FROM grain_state WHERE state_name = $n AND grain_key = $k;";
            _name = _select.Parameters.Add("$n", SqliteType.Text);
            _key = _select.Parameters.Add("$k", SqliteType.Text);
            _select.Prepare();
        }

        public byte[]? Read(string stateName, string key)
        {
            _name.Value = stateName;
            _key.Value = key;
            using SqliteDataReader r = _select.ExecuteReader();
            return r.Read() ? (byte[])r.GetValue(0) : null;
        }

        public void Dispose()
        {
            _select.Dispose();
            _connection.Dispose();
        }
    }
}
