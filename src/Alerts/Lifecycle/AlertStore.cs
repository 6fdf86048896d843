using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Storage;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// The alert ledger: alerts, their audit trail and the dispatch outbox, in one database (SQLite under the data
/// directory, or the cluster's shared PostgreSQL) so that an alert change and its outbox messages commit in one
/// transaction. The SQL is written once; <see cref="StateDatabase"/> carries the dialect. Synchronous on purpose:
/// callers serialise writes under one lock and the statements are short.
/// </summary>
internal sealed class AlertStore : IDisposable
{
    /// <summary>Outbox status: waiting for delivery.</summary>
    public const int Pending = 0;

    /// <summary>Outbox status: delivered.</summary>
    public const int Delivered = 1;

    /// <summary>Outbox status: dead-lettered after the last attempt.</summary>
    public const int Dead = 2;

    private readonly StateDatabase _db;
    private readonly bool _ownsDatabase;

    /// <summary>
    /// Opens (and creates) a SQLite ledger at <paramref name="path"/>. A path of the form
    /// <c>file:name?mode=memory&amp;cache=shared</c> gives an in-memory database (unit tests), kept alive until disposed.
    /// </summary>
    public AlertStore(string path)
        : this(new SqliteStateDatabase(path), ownsDatabase: true)
    {
    }

    /// <summary>Uses <paramref name="database"/>, creating the schema when it is missing (idempotent).</summary>
    public AlertStore(StateDatabase database, bool ownsDatabase = false)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
        string key = database.IdentityKey;
        database.EnsureSchema($"""
            CREATE TABLE IF NOT EXISTS alerts(
              id {key},
              subject TEXT NOT NULL, rule TEXT NOT NULL, province TEXT NOT NULL,
              open INTEGER NOT NULL, severity INTEGER NOT NULL, updated_at BIGINT NOT NULL,
              json TEXT NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_alerts_open ON alerts(subject, rule) WHERE open = 1;
            CREATE INDEX IF NOT EXISTS ix_alerts_updated ON alerts(updated_at);
            CREATE TABLE IF NOT EXISTS alert_events(
              seq {key},
              alert_id BIGINT NOT NULL, version INTEGER NOT NULL, at BIGINT NOT NULL,
              action TEXT NOT NULL, actor TEXT, note TEXT, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_events_alert ON alert_events(alert_id, seq);
            CREATE TABLE IF NOT EXISTS outbox(
              seq {key},
              channel TEXT NOT NULL, alert_id BIGINT NOT NULL, version INTEGER NOT NULL,
              idempotency_key TEXT NOT NULL, topic TEXT, payload TEXT NOT NULL,
              status INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at BIGINT NOT NULL, created_at BIGINT NOT NULL,
              delivered_at BIGINT, last_error TEXT, lease_owner TEXT, lease_until BIGINT);
            CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox(channel, status, alert_id, seq)
            """);
        AddColumnIfMissing("outbox", "lease_owner", "TEXT");
        AddColumnIfMissing("outbox", "lease_until", "BIGINT");
    }

    /// <summary>The database under the ledger.</summary>
    public StateDatabase Database => _db;

    /// <summary>Where the ledger is (file path or host/database).</summary>
    public string DataSource => _db.Describe;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    /// <summary>Opens a pooled connection.</summary>
    public DbConnection Open() => _db.Open();

    /// <summary>The open alert of (subject, rule), or null; locked for update inside <paramref name="transaction"/>.</summary>
    public AlertRecord? FindOpen(DbConnection connection, DbTransaction? transaction, string subject, string rule)
    {
        using DbCommand command = StateDatabase.Command(connection, transaction,
            "SELECT json FROM alerts WHERE subject = @s AND rule = @r AND open = 1" + (transaction is null ? string.Empty : _db.ForUpdate));
        StateDatabase.Add(command, "@s", subject);
        StateDatabase.Add(command, "@r", rule);
        return command.ExecuteScalar() is string json ? Deserialize(json) : null;
    }

    /// <summary>The alert with <paramref name="id"/>, or null; locked for update inside <paramref name="transaction"/>.</summary>
    public AlertRecord? Get(DbConnection connection, DbTransaction? transaction, long id)
    {
        using DbCommand command = StateDatabase.Command(connection, transaction,
            "SELECT json FROM alerts WHERE id = @id" + (transaction is null ? string.Empty : _db.ForUpdate));
        StateDatabase.Add(command, "@id", id);
        return command.ExecuteScalar() is string json ? Deserialize(json) : null;
    }

    /// <summary>Alerts, most recently changed first.</summary>
    public static List<AlertRecord> List(DbConnection connection, bool openOnly, string? province, string? subject, int limit)
    {
        using DbCommand command = StateDatabase.Command(connection, null, """
            SELECT json FROM alerts
            WHERE (@open = 0 OR open = 1) AND (@p IS NULL OR province = @p) AND (@s IS NULL OR subject = @s)
            ORDER BY open DESC, updated_at DESC, id DESC LIMIT @limit
            """);
        StateDatabase.Add(command, "@open", openOnly ? 1 : 0);
        StateDatabase.Add(command, "@p", province);
        StateDatabase.Add(command, "@s", subject);
        StateDatabase.Add(command, "@limit", limit);
        return ReadAlerts(command);
    }

    /// <summary>Open alerts of warning severity or above that wait for an acknowledgement and have had no notice.</summary>
    public static List<AlertRecord> OpenUnnotified(DbConnection connection, int minSeverity)
    {
        using DbCommand command = StateDatabase.Command(connection, null, "SELECT json FROM alerts WHERE open = 1 AND severity >= @sev ORDER BY id");
        StateDatabase.Add(command, "@sev", minSeverity);
        return ReadAlerts(command);
    }

    /// <summary>Inserts a new alert and returns its id.</summary>
    public static long Insert(DbConnection connection, DbTransaction transaction, AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using DbCommand command = StateDatabase.Command(connection, transaction, """
            INSERT INTO alerts(subject, rule, province, open, severity, updated_at, json)
            VALUES (@s, @r, @p, 1, @sev, @u, '{}') RETURNING id
            """);
        StateDatabase.Add(command, "@s", alert.Subject);
        StateDatabase.Add(command, "@r", alert.Rule);
        StateDatabase.Add(command, "@p", alert.Province);
        StateDatabase.Add(command, "@sev", (int)alert.Severity);
        StateDatabase.Add(command, "@u", alert.UpdatedAt.ToUnixTimeMilliseconds());
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the current version of an alert.</summary>
    public static void Update(DbConnection connection, DbTransaction transaction, AlertRecord alert, string json)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using DbCommand command = StateDatabase.Command(connection, transaction, """
            UPDATE alerts SET open = @open, severity = @sev, updated_at = @u, json = @json WHERE id = @id
            """);
        StateDatabase.Add(command, "@open", alert.IsOpen ? 1 : 0);
        StateDatabase.Add(command, "@sev", (int)alert.Severity);
        StateDatabase.Add(command, "@u", alert.UpdatedAt.ToUnixTimeMilliseconds());
        StateDatabase.Add(command, "@json", json);
        StateDatabase.Add(command, "@id", alert.Id);
        command.ExecuteNonQuery();
    }

    /// <summary>Appends an audit entry and returns its sequence number.</summary>
    public static long AddEvent(DbConnection connection, DbTransaction transaction, AlertRecord alert, DateTimeOffset at, string action, string? actor, string? note, string json)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using DbCommand command = StateDatabase.Command(connection, transaction, """
            INSERT INTO alert_events(alert_id, version, at, action, actor, note, json)
            VALUES (@id, @v, @at, @a, @actor, @note, @json) RETURNING seq
            """);
        StateDatabase.Add(command, "@id", alert.Id);
        StateDatabase.Add(command, "@v", alert.Version);
        StateDatabase.Add(command, "@at", at.ToUnixTimeMilliseconds());
        StateDatabase.Add(command, "@a", action);
        StateDatabase.Add(command, "@actor", actor);
        StateDatabase.Add(command, "@note", note);
        StateDatabase.Add(command, "@json", json);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The audit trail of an alert (or every entry after <paramref name="afterSeq"/> when <paramref name="alertId"/> is null).</summary>
    public static List<AlertEvent> Events(DbConnection connection, long? alertId, long afterSeq, int limit)
    {
        using DbCommand command = StateDatabase.Command(connection, null, """
            SELECT seq, alert_id, version, at, action, actor, note, json FROM alert_events
            WHERE (@id IS NULL OR alert_id = @id) AND seq > @after ORDER BY seq LIMIT @limit
            """);
        StateDatabase.Add(command, "@id", alertId, System.Data.DbType.Int64);
        StateDatabase.Add(command, "@after", afterSeq);
        StateDatabase.Add(command, "@limit", limit);
        return ReadEvents(command);
    }

    /// <summary>The highest audit sequence number visible now (0 when the trail is empty).</summary>
    public static long MaxEventSeq(DbConnection connection)
    {
        using DbCommand command = StateDatabase.Command(connection, null, "SELECT COALESCE(MAX(seq), 0) FROM alert_events");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The audit sequence numbers in (<paramref name="afterSeq"/>, <paramref name="upToSeq"/>], without the entries (the feed's gap scan at start).</summary>
    public static List<long> EventSeqs(DbConnection connection, long afterSeq, long upToSeq)
    {
        using DbCommand command = StateDatabase.Command(connection, null, "SELECT seq FROM alert_events WHERE seq > @after AND seq <= @upto ORDER BY seq");
        StateDatabase.Add(command, "@after", afterSeq);
        StateDatabase.Add(command, "@upto", upToSeq);
        var seqs = new List<long>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    /// <summary>The audit entries whose sequence numbers are in <paramref name="seqs"/> (at most 256), ordered by seq.</summary>
    public static List<AlertEvent> EventsBySeq(DbConnection connection, IReadOnlyList<long> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seqs.Count, 256);
        if (seqs.Count == 0)
        {
            return [];
        }

        var sql = new System.Text.StringBuilder("SELECT seq, alert_id, version, at, action, actor, note, json FROM alert_events WHERE seq IN (");
        for (int i = 0; i < seqs.Count; i++)
        {
            sql.Append(i == 0 ? "@s" : ", @s").Append(i.ToString(CultureInfo.InvariantCulture));
        }

        sql.Append(") ORDER BY seq");
        using DbCommand command = StateDatabase.Command(connection, null, sql.ToString());
        for (int i = 0; i < seqs.Count; i++)
        {
            StateDatabase.Add(command, "@s" + i.ToString(CultureInfo.InvariantCulture), seqs[i]);
        }

        return ReadEvents(command);
    }

    /// <summary>Every open alert with the sequence number of its latest audit entry, oldest change first.</summary>
    public static List<(AlertRecord Alert, long Seq)> OpenWithLastSeq(DbConnection connection)
    {
        using DbCommand command = StateDatabase.Command(connection, null, """
            SELECT a.json, COALESCE((SELECT MAX(e.seq) FROM alert_events e WHERE e.alert_id = a.id), 0) AS last_seq
            FROM alerts a WHERE a.open = 1 ORDER BY last_seq, a.id
            """);
        var alerts = new List<(AlertRecord, long)>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            alerts.Add((Deserialize(reader.GetString(0)), reader.GetInt64(1)));
        }

        return alerts;
    }

    /// <summary>Adds an outbox message in the caller's transaction.</summary>
    public static void Enqueue(DbConnection connection, DbTransaction transaction, string channel, AlertRecord alert, string key, string? topic, string payload, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using DbCommand command = StateDatabase.Command(connection, transaction, """
            INSERT INTO outbox(channel, alert_id, version, idempotency_key, topic, payload, next_attempt_at, created_at)
            VALUES (@c, @id, @v, @k, @t, @p, @now, @now)
            """);
        StateDatabase.Add(command, "@c", channel);
        StateDatabase.Add(command, "@id", alert.Id);
        StateDatabase.Add(command, "@v", alert.Version);
        StateDatabase.Add(command, "@k", key);
        StateDatabase.Add(command, "@t", topic);
        StateDatabase.Add(command, "@p", payload);
        StateDatabase.Add(command, "@now", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The oldest pending message of each alert on <paramref name="channel"/> whose next attempt is due and that
    /// nobody holds: later versions of an alert wait until the earlier one is delivered or dead-lettered (order
    /// per alert). Each returned message is claimed for <paramref name="owner"/> until <paramref name="leaseUntil"/>
    /// with a conditional update, so two workers over one database never both take the same head; a worker that
    /// dies mid-delivery loses its claim when the lease runs out and a survivor takes the message.
    /// </summary>
    public List<OutboxMessage> Claim(string channel, DateTimeOffset now, int limit, string owner, DateTimeOffset leaseUntil)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        var candidates = new List<OutboxMessage>();
        using DbConnection connection = Open();
        using (DbCommand command = StateDatabase.Command(connection, null, """
            SELECT o.seq, o.channel, o.alert_id, o.version, o.idempotency_key, o.topic, o.payload, o.attempts
            FROM outbox o
            JOIN (SELECT MIN(seq) AS seq FROM outbox WHERE channel = @c AND status = 0 GROUP BY alert_id) h ON h.seq = o.seq
            WHERE o.next_attempt_at <= @now AND (o.lease_until IS NULL OR o.lease_until <= @now)
            ORDER BY o.seq LIMIT @limit
            """))
        {
            StateDatabase.Add(command, "@c", channel);
            StateDatabase.Add(command, "@now", nowMs);
            StateDatabase.Add(command, "@limit", limit);
            using DbDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                candidates.Add(new OutboxMessage(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetInt64(2),
                    reader.GetInt32(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetString(6),
                    reader.GetInt32(7)));
            }
        }

        var claimed = new List<OutboxMessage>(candidates.Count);
        foreach (OutboxMessage message in candidates)
        {
            using DbCommand take = StateDatabase.Command(connection, null, """
                UPDATE outbox SET lease_owner = @o, lease_until = @until
                WHERE seq = @seq AND status = 0 AND (lease_until IS NULL OR lease_until <= @now)
                """);
            StateDatabase.Add(take, "@o", owner);
            StateDatabase.Add(take, "@until", leaseUntil.ToUnixTimeMilliseconds());
            StateDatabase.Add(take, "@seq", message.Seq);
            StateDatabase.Add(take, "@now", nowMs);
            if (take.ExecuteNonQuery() == 1)
            {
                claimed.Add(message);
            }
        }

        return claimed;
    }

    /// <summary>Records the outcome of one attempt and releases the claim.</summary>
    public void Complete(long seq, int status, int attempts, DateTimeOffset nextAttempt, DateTimeOffset now, string? error)
    {
        using DbConnection connection = Open();
        using DbCommand command = StateDatabase.Command(connection, null, """
            UPDATE outbox SET status = @st, attempts = @a, next_attempt_at = @next, last_error = @err,
              delivered_at = CASE WHEN @st = 1 THEN @now ELSE delivered_at END,
              lease_owner = NULL, lease_until = NULL
            WHERE seq = @seq
            """);
        StateDatabase.Add(command, "@st", status);
        StateDatabase.Add(command, "@a", attempts);
        StateDatabase.Add(command, "@next", nextAttempt.ToUnixTimeMilliseconds());
        StateDatabase.Add(command, "@err", error);
        StateDatabase.Add(command, "@now", now.ToUnixTimeMilliseconds());
        StateDatabase.Add(command, "@seq", seq);
        command.ExecuteNonQuery();
    }

    /// <summary>Counts outbox messages by status (for health and tests).</summary>
    public long CountOutbox(int status)
    {
        using DbConnection connection = Open();
        using DbCommand command = StateDatabase.Command(connection, null, "SELECT COUNT(*) FROM outbox WHERE status = @st");
        StateDatabase.Add(command, "@st", status);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Serialises an alert with the source-generated context.</summary>
    public static string Serialize(AlertRecord alert) => JsonSerializer.Serialize(alert, AlertJsonContext.Default.AlertRecord);

    private static AlertRecord Deserialize(string json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.AlertRecord) ?? throw new InvalidDataException("Null alert JSON in the alert ledger.");

    private static List<AlertEvent> ReadEvents(DbCommand command)
    {
        var events = new List<AlertEvent>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new AlertEvent
            {
                Seq = reader.GetInt64(0),
                AlertId = reader.GetInt64(1),
                Version = reader.GetInt32(2),
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                Action = reader.GetString(4),
                Actor = reader.IsDBNull(5) ? null : reader.GetString(5),
                Note = reader.IsDBNull(6) ? null : reader.GetString(6),
                Alert = Deserialize(reader.GetString(7)),
            });
        }

        return events;
    }

    private static List<AlertRecord> ReadAlerts(DbCommand command)
    {
        var alerts = new List<AlertRecord>();
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            alerts.Add(Deserialize(reader.GetString(0)));
        }

        return alerts;
    }

    private void AddColumnIfMissing(string table, string column, string type)
    {
        using DbConnection connection = Open();
        if (_db.HasColumn(connection, table, column))
        {
            return;
        }

        try
        {
            StateDatabase.Execute(connection, null, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
        }
        catch (DbException) when (_db.HasColumn(connection, table, column))
        {
            // another process added it first
        }
    }
}
