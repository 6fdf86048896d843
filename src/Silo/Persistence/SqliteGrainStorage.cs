using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;
using Orleans.Storage;

namespace Resilience.Silo.Persistence;

/// <summary>
/// Orleans grain storage on one box: one SQLite file (<c>&lt;DataDirectory&gt;/grains.db</c>) in WAL mode, state
/// bytes from Orleans' own serializer, and an ETag (a per-record version number) checked on every write, so a
/// stale activation can never overwrite newer state (<see cref="InconsistentStateException"/>). Reads run on
/// pooled connections at the caller; writes go through a bounded channel to one writer that commits up to
/// <see cref="MaxBatch"/> records per transaction, so 100,000 deactivations at shutdown cost ~100 commits.
/// </summary>
internal sealed partial class SqliteGrainStorage : IGrainStorage, IGrainStateScan, IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly string _connectionString;
    private readonly Channel<WriteRequest> _writes;
    private readonly ConcurrentBag<Reader> _readers = [];
    private readonly Serializer _serializer;
    private readonly ILogger _logger;
    private readonly Task _writerLoop;

    public SqliteGrainStorage(string dataDirectory, Serializer serializer, ILogger<SqliteGrainStorage> logger)
    {
        _serializer = serializer;
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
        Execute(writer, "CREATE TABLE IF NOT EXISTS orleans_grain_state (state_name TEXT NOT NULL, grain_id TEXT NOT NULL, version INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (state_name, grain_id)) WITHOUT ROWID;");
        _writes = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(8192)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writerLoop = Task.Run(() => WriteLoopAsync(writer));
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        (long Version, byte[] Data)? row = Read(stateName, grainId.ToString());
        if (row is { } r)
        {
            grainState.State = _serializer.Deserialize<T>(r.Data);
            grainState.ETag = r.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        byte[] data = _serializer.SerializeToArray(grainState.State);
        long expected = ParseETag(grainState.ETag);
        var request = new WriteRequest(stateName, grainId.ToString(), expected, data);
        long version = await EnqueueAsync(request);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var request = new WriteRequest(stateName, grainId.ToString(), ParseETag(grainState.ETag), null);
        await EnqueueAsync(request);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<KeyValuePair<string, T>> ScanAsync<T>(string stateName, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT grain_id, data FROM orleans_grain_state WHERE state_name = $n;";
        select.Parameters.AddWithValue("$n", stateName);
        await using SqliteDataReader r = await select.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            T? value;
            try
            {
                value = _serializer.Deserialize<T>((byte[])r.GetValue(1));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ScanSkipped(_logger, stateName, r.GetString(0), ex);
                continue;
            }

            if (value is not null)
            {
                yield return new(r.GetString(0), value);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop;
        while (_readers.TryTake(out Reader? r))
        {
            r.Dispose();
        }
    }

    private static long ParseETag(string? etag) =>
        etag is null ? 0 : long.Parse(etag, NumberStyles.None, CultureInfo.InvariantCulture);

    private (long Version, byte[] Data)? Read(string stateName, string grainId)
    {
        if (!_readers.TryTake(out Reader? reader))
        {
            reader = new Reader(_connectionString);
        }

        try
        {
            return reader.Read(stateName, grainId);
        }
        finally
        {
            _readers.Add(reader);
        }
    }

    private async ValueTask<long> EnqueueAsync(WriteRequest request)
    {
        if (!_writes.Writer.TryWrite(request))
        {
            await _writes.Writer.WriteAsync(request);
        }

        return await request.Done.Task;
    }

    private async Task WriteLoopAsync(SqliteConnection connection)
    {
        // version 0 = no record. An insert expects 0; an update or delete expects the version it read.
        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO orleans_grain_state (state_name, grain_id, version, data) VALUES ($n, $k, 1, $d) ON CONFLICT (state_name, grain_id) DO NOTHING;";
        SqliteParameter iN = insert.Parameters.Add("$n", SqliteType.Text);
        SqliteParameter iK = insert.Parameters.Add("$k", SqliteType.Text);
        SqliteParameter iD = insert.Parameters.Add("$d", SqliteType.Blob);
        using SqliteCommand update = connection.CreateCommand();
        update.CommandText = "UPDATE orleans_grain_state SET version = version + 1, data = $d WHERE state_name = $n AND grain_id = $k AND version = $v;";
        SqliteParameter uN = update.Parameters.Add("$n", SqliteType.Text);
        SqliteParameter uK = update.Parameters.Add("$k", SqliteType.Text);
        SqliteParameter uD = update.Parameters.Add("$d", SqliteType.Blob);
        SqliteParameter uV = update.Parameters.Add("$v", SqliteType.Integer);
        using SqliteCommand delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM orleans_grain_state WHERE state_name = $n AND grain_id = $k AND version = $v;";
        SqliteParameter dN = delete.Parameters.Add("$n", SqliteType.Text);
        SqliteParameter dK = delete.Parameters.Add("$k", SqliteType.Text);
        SqliteParameter dV = delete.Parameters.Add("$v", SqliteType.Integer);
        var batch = new List<WriteRequest>(MaxBatch);
        var results = new long[MaxBatch];
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
                        insert.Transaction = tx;
                        update.Transaction = tx;
                        delete.Transaction = tx;
                        for (int i = 0; i < batch.Count; i++)
                        {
                            WriteRequest r = batch[i];
                            int changed;
                            if (r.Data is null)
                            {
                                (dN.Value, dK.Value, dV.Value) = (r.StateName, r.GrainId, r.ExpectedVersion);
                                changed = r.ExpectedVersion == 0 ? 1 : delete.ExecuteNonQuery();
                                results[i] = changed == 1 ? 0 : -1;
                            }
                            else if (r.ExpectedVersion == 0)
                            {
                                (iN.Value, iK.Value, iD.Value) = (r.StateName, r.GrainId, r.Data);
                                changed = insert.ExecuteNonQuery();
                                results[i] = changed == 1 ? 1 : -1;
                            }
                            else
                            {
                                (uN.Value, uK.Value, uD.Value, uV.Value) = (r.StateName, r.GrainId, r.Data, r.ExpectedVersion);
                                changed = update.ExecuteNonQuery();
                                results[i] = changed == 1 ? r.ExpectedVersion + 1 : -1;
                            }
                        }

                        tx.Commit();
                    }

                    for (int i = 0; i < batch.Count; i++)
                    {
                        WriteRequest r = batch[i];
                        if (results[i] < 0)
                        {
                            // Someone else wrote this record since it was read: the caller's state is stale.
                            r.Done.TrySetException(new InconsistentStateException(
                                $"Grain state '{r.StateName}' of {r.GrainId} changed since it was read (expected version {r.ExpectedVersion}).",
                                storedEtag: null,
                                currentEtag: r.ExpectedVersion.ToString(CultureInfo.InvariantCulture)));
                        }
                        else
                        {
                            r.Done.TrySetResult(results[i]);
                        }
                    }
                }
                catch (Exception ex)
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

    private sealed class WriteRequest(string stateName, string grainId, long expectedVersion, byte[]? data)
    {
        public string StateName { get; } = stateName;

        public string GrainId { get; } = grainId;

        public long ExpectedVersion { get; } = expectedVersion;

        /// <summary>The new state; null deletes the record.</summary>
        public byte[]? Data { get; } = data;

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _select;
        private readonly SqliteParameter _name;
        private readonly SqliteParameter _id;

        public Reader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            _select = _connection.CreateCommand();
            _select.CommandText = "SELECT version, data FROM orleans_grain_state WHERE state_name = $n AND grain_id = $k;";
            _name = _select.Parameters.Add("$n", SqliteType.Text);
            _id = _select.Parameters.Add("$k", SqliteType.Text);
            _select.Prepare();
        }

        public (long Version, byte[] Data)? Read(string stateName, string grainId)
        {
            _name.Value = stateName;
            _id.Value = grainId;
            using SqliteDataReader r = _select.ExecuteReader();
            return r.Read() ? (r.GetInt64(0), (byte[])r.GetValue(1)) : null;
        }

        public void Dispose()
        {
            _select.Dispose();
            _connection.Dispose();
        }
    }
}
