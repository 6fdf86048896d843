using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Orleans.Serialization;
using Orleans.Storage;
using Resilience.Alerts.Storage;

namespace Resilience.Silo.Persistence;

/// <summary>
/// Orleans grain storage over <see cref="StateDatabase"/>: SQLite under the data directory on one box, the shared
/// PostgreSQL in a cluster, with the same SQL. One table keyed by (state name, grain id) holds the state bytes
/// from Orleans' own serializer (the state types are already <c>[GenerateSerializer]</c> with stable <c>[Id]</c>s,
/// so stored state stays readable across versions without a second set of JSON contracts) and a version number
/// that is the ETag: every write and clear names the version it read, and a stale activation's write fails with
/// <see cref="InconsistentStateException"/> instead of overwriting newer state. Writes go through a bounded queue
/// to one writer that commits up to <see cref="MaxBatch"/> of them per transaction (a mass deactivation costs few
/// commits); a conflicting write fails alone, a database failure fails its batch and the grains retry.
/// </summary>
internal sealed partial class RelationalGrainStorage : IGrainStorage, IGrainStateScan, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly StateDatabase _db;
    private readonly Serializer _serializer;
    private readonly ILogger _logger;
    private readonly Channel<WriteRequest> _writes = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Task _writer;

    /// <summary>Creates the storage and its table when missing (idempotent; safe for silos starting together).</summary>
    public RelationalGrainStorage(StateDatabase database, Serializer serializer, ILogger<RelationalGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _serializer = serializer;
        _logger = logger;
        database.EnsureSchema($"""
            CREATE TABLE IF NOT EXISTS orleans_grain_state(
              state_name TEXT NOT NULL, grain_id TEXT NOT NULL, version BIGINT NOT NULL, data {database.Blob} NOT NULL,
              PRIMARY KEY (state_name, grain_id))
            """);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The database under the grain state (the sensor snapshot exchange shares it).</summary>
    internal StateDatabase Database => _db;

    /// <summary>Where the state is (file path or host/database).</summary>
    public string Describe => _db.Describe;

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await using DbConnection connection = await _db.OpenAsync(CancellationToken.None);
        await using DbCommand select = StateDatabase.Command(connection, null, "SELECT version, data FROM orleans_grain_state WHERE state_name = @n AND grain_id = @k");
        StateDatabase.Add(select, "@n", stateName);
        StateDatabase.Add(select, "@k", grainId.ToString());
        await using DbDataReader reader = await select.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.State = _serializer.Deserialize<T>((byte[])reader.GetValue(1));
            grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            // No record: keep the fresh instance Orleans put there (a grain reads state.State at activation).
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        byte[] data = _serializer.SerializeToArray(grainState.State);
        long version = await EnqueueAsync(new WriteRequest(stateName, grainId.ToString(), ParseETag(grainState.ETag), data));
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await EnqueueAsync(new WriteRequest(stateName, grainId.ToString(), ParseETag(grainState.ETag), null));
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Every stored state named <paramref name="stateName"/>, keyed by grain id text, without activating a grain.</summary>
    public async IAsyncEnumerable<KeyValuePair<string, T>> ScanAsync<T>(string stateName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using DbConnection connection = await _db.OpenAsync(cancellationToken);
        await using DbCommand select = StateDatabase.Command(connection, null, "SELECT grain_id, data FROM orleans_grain_state WHERE state_name = @n");
        StateDatabase.Add(select, "@n", stateName);
        await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            T? value;
            try
            {
                value = _serializer.Deserialize<T>((byte[])reader.GetValue(1));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ScanSkipped(_logger, stateName, reader.GetString(0), ex);
                continue;
            }

            if (value is not null)
            {
                yield return new(reader.GetString(0), value);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
        _db.Dispose();
    }

    private static long ParseETag(string? etag) =>
        etag is null ? 0 :
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out long version) ? version :
        throw new InconsistentStateException($"ETag '{etag}' is not a version this storage wrote.", etag, (string?)null);

    private async Task<long> EnqueueAsync(WriteRequest request)
    {
        await _writes.Writer.WriteAsync(request);
        return await request.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<WriteRequest>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out WriteRequest? request))
            {
                batch.Add(request);
            }

            try
            {
                var outcomes = new (long Version, string? Conflict)[batch.Count];
                await using (DbConnection connection = await _db.OpenAsync(CancellationToken.None))
                await using (DbTransaction tx = await connection.BeginTransactionAsync())
                {
                    for (int i = 0; i < batch.Count; i++)
                    {
                        outcomes[i] = await ApplyAsync(connection, tx, batch[i]);
                    }

                    await tx.CommitAsync();
                }

                for (int i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i].Conflict is { } stored)
                    {
                        WriteRequest r = batch[i];
                        batch[i].Done.TrySetException(new InconsistentStateException(
                            $"Grain state {r.StateName}/{r.GrainId} changed since it was read (expected version {r.Expected}, stored {stored}).",
                            stored,
                            r.Expected.ToString(CultureInfo.InvariantCulture)));
                    }
                    else
                    {
                        batch[i].Done.TrySetResult(outcomes[i].Version);
                    }
                }
            }
            catch (Exception ex)
            {
                Log.BatchFailed(_logger, batch.Count, _db.Describe, ex);
                foreach (WriteRequest r in batch)
                {
                    r.Done.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>One write in the batch's transaction: (new version, null) or (0, the stored version) on an ETag conflict.</summary>
    private static async Task<(long Version, string? Conflict)> ApplyAsync(DbConnection connection, DbTransaction tx, WriteRequest r)
    {
        DbCommand command;
        if (r.Data is null)
        {
            command = StateDatabase.Command(connection, tx, "DELETE FROM orleans_grain_state WHERE state_name = @n AND grain_id = @k AND version = @v");
        }
        else if (r.Expected == 0)
        {
            // A first write: ON CONFLICT DO NOTHING reports a lost race as 0 rows without aborting the transaction.
            command = StateDatabase.Command(connection, tx,
                "INSERT INTO orleans_grain_state(state_name, grain_id, version, data) VALUES (@n, @k, 1, @d) ON CONFLICT (state_name, grain_id) DO NOTHING");
        }
        else
        {
            command = StateDatabase.Command(connection, tx,
                "UPDATE orleans_grain_state SET version = version + 1, data = @d WHERE state_name = @n AND grain_id = @k AND version = @v");
        }

        await using (command)
        {
            StateDatabase.Add(command, "@n", r.StateName);
            StateDatabase.Add(command, "@k", r.GrainId);
            StateDatabase.Add(command, "@v", r.Expected);
            if (r.Data is not null)
            {
                StateDatabase.Add(command, "@d", r.Data, DbType.Binary);
            }

            if (await command.ExecuteNonQueryAsync() == 1)
            {
                return (r.Data is null ? 0 : r.Expected + 1, null);
            }
        }

        if (r.Data is null && r.Expected == 0)
        {
            return (0, null); // clearing what was never stored
        }

        await using DbCommand current = StateDatabase.Command(connection, tx, "SELECT version FROM orleans_grain_state WHERE state_name = @n AND grain_id = @k");
        StateDatabase.Add(current, "@n", r.StateName);
        StateDatabase.Add(current, "@k", r.GrainId);
        object? stored = await current.ExecuteScalarAsync();
        return (0, stored is null or DBNull ? "none" : Convert.ToInt64(stored, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
    }

    private sealed record WriteRequest(string StateName, string GrainId, long Expected, byte[]? Data)
    {
        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
