using System.Data.Common;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Resilience.Alerts.Storage;
using Resilience.Silo.Hosting;
using Resilience.Silo.Persistence;

namespace Resilience.Silo.Sensors;

/// <summary>
/// Keeps every silo's sensor listing whole in a cluster. Each silo's <see cref="SensorSnapshotCache"/> hears only
/// the grains it hosts; this service stores the snapshots its grains changed in the shared database's
/// <c>sensor_snapshots</c> table (one row per sensor, the newest publish wins) and merges the rows other silos
/// stored, every <see cref="GrainOptions.SnapshotExchangeInterval"/>. It runs only when grain state is on the
/// shared PostgreSQL (a cluster); on one box the cache already holds everything and the table is never touched.
/// A listing may therefore lag a reading on another silo by about two intervals; a single sensor's endpoint asks
/// its grain and never lags. Rows are read again for a window of <see cref="GrainOptions.SnapshotExchangeWindow"/>
/// behind the newest seen, so a row committed late, or by a silo whose clock is behind by less than that, is not
/// missed. When a silo dies, its sensors' last stored snapshots stay listed until their grains, re-activated on a
/// survivor by the next reading, publish newer ones.
/// </summary>
internal sealed partial class SensorSnapshotExchange(
    RelationalGrainStorage storage,
    SensorSnapshotCache cache,
    Serializer serializer,
    IOptions<GrainOptions> options,
    TimeProvider time,
    ILogger<SensorSnapshotExchange> logger) : BackgroundService
{
    private const int MaxRowsPerFlush = 2_000;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private long _readUpToMs;
    private long _merged;
    private long _stored;

    /// <summary>Snapshots stored by this silo so far.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Snapshots from other silos merged so far.</summary>
    public long Merged => Interlocked.Read(ref _merged);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        StateDatabase db = storage.Database;
        if (db.Provider != StorageProvider.Postgres)
        {
            return;
        }

        cache.EnableSharing();
        db.EnsureSchema($"""
            CREATE TABLE IF NOT EXISTS sensor_snapshots(
              sensor_id TEXT NOT NULL PRIMARY KEY, stamp_ms BIGINT NOT NULL, origin TEXT NOT NULL, data {db.Blob} NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_sensor_snapshots_stamp ON sensor_snapshots(stamp_ms)
            """);
        TimeSpan interval = options.Value.SnapshotExchangeInterval;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await StoreChangedAsync(db, stoppingToken);
                await MergeOthersAsync(db, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is DbException or InvalidOperationException or TimeoutException)
            {
                Log.ExchangeFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));

        try
        {
            // A silo that stops cleanly stores its last changes.
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await StoreChangedAsync(db, last.Token);
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or InvalidOperationException)
        {
            Log.ExchangeFailed(logger, ex);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StoreChangedAsync(StateDatabase db, CancellationToken ct)
    {
        while (true)
        {
            List<(string SensorId, SensorSnapshot Snapshot, long StampMs)> changed = cache.TakeChanged(MaxRowsPerFlush);
            if (changed.Count == 0)
            {
                return;
            }

            try
            {
                await using DbConnection connection = await db.OpenAsync(ct);
                await using DbTransaction tx = await connection.BeginTransactionAsync(ct);
                foreach ((string id, SensorSnapshot snapshot, long stamp) in changed)
                {
                    await using DbCommand upsert = StateDatabase.Command(connection, tx, """
                        INSERT INTO sensor_snapshots(sensor_id, stamp_ms, origin, data) VALUES (@id, @s, @o, @d)
                        ON CONFLICT (sensor_id) DO UPDATE SET stamp_ms = excluded.stamp_ms, origin = excluded.origin, data = excluded.data
                        WHERE sensor_snapshots.stamp_ms < excluded.stamp_ms
                        """);
                    StateDatabase.Add(upsert, "@id", id);
                    StateDatabase.Add(upsert, "@s", stamp);
                    StateDatabase.Add(upsert, "@o", _origin);
                    StateDatabase.Add(upsert, "@d", serializer.SerializeToArray(snapshot), System.Data.DbType.Binary);
                    await upsert.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                Interlocked.Add(ref _stored, changed.Count);
            }
            catch
            {
                cache.Requeue(changed.Select(static c => c.SensorId));
                throw;
            }

            if (changed.Count < MaxRowsPerFlush)
            {
                return;
            }
        }
    }

    private async Task MergeOthersAsync(StateDatabase db, CancellationToken ct)
    {
        long since = _readUpToMs == 0 ? long.MinValue : _readUpToMs - (long)options.Value.SnapshotExchangeWindow.TotalMilliseconds;
        long newest = _readUpToMs;
        await using DbConnection connection = await db.OpenAsync(ct);
        await using DbCommand select = StateDatabase.Command(connection, null,
            "SELECT sensor_id, stamp_ms, data FROM sensor_snapshots WHERE stamp_ms > @since AND origin <> @o");
        StateDatabase.Add(select, "@since", since);
        StateDatabase.Add(select, "@o", _origin);
        await using DbDataReader reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string id = reader.GetString(0);
            long stamp = reader.GetInt64(1);
            newest = Math.Max(newest, stamp);
            if (cache.StampOf(id) >= stamp)
            {
                continue;
            }

            SensorSnapshot? snapshot;
            try
            {
                snapshot = serializer.Deserialize<SensorSnapshot>((byte[])reader.GetValue(2));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RowSkipped(logger, id, ex);
                continue;
            }

            if (snapshot is not null && cache.Merge(id, snapshot, stamp))
            {
                Interlocked.Increment(ref _merged);
            }
        }

        // Never move the window past this silo's own clock: a row stamped later by a silo whose clock runs ahead
        // is read again until this clock passes it.
        _readUpToMs = Math.Max(_readUpToMs, Math.Min(newest, time.GetUtcNow().ToUnixTimeMilliseconds()));
    }
}
