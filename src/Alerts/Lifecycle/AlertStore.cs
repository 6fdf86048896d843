using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Resilience.Alerts.Dispatch;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// SQLite persistence of alerts, their audit trail and the dispatch outbox, in one file (WAL, synchronous=FULL)
/// so that an alert change and its outbox messages commit in one transaction. Synchronous on purpose:
/// Microsoft.Data.Sqlite does the work synchronously anyway, and callers serialise writes under one lock.
/// </summary>
internal sealed class AlertStore : IDisposable
{
    /// <summary>Outbox status: waiting for delivery.</summary>
    public const int Pending = 0;

    /// <summary>Outbox status: delivered.</summary>
    public const int Delivered = 1;

    /// <summary>Outbox status: dead-lettered after the last attempt.</summary>
    public const int Dead = 2;

    private readonly string _connectionString;
    private readonly SqliteConnection? _keepAlive;

    /// <summary>
    /// Opens (and creates) the database at <paramref name="path"/>. A path of the form
    /// <c>file:name?mode=memory&amp;cache=shared</c> gives an in-memory database (unit tests), kept alive until disposed.
    /// </summary>
    public AlertStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        bool memory = path.Contains("mode=memory", StringComparison.Ordinal);
        if (!memory)
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        if (memory)
        {
            _keepAlive = Open();
        }

        using SqliteConnection connection = Open();
        Execute(connection, null, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS alerts(
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              subject TEXT NOT NULL, rule TEXT NOT NULL, province TEXT NOT NULL,
              open INTEGER NOT NULL, severity INTEGER NOT NULL, updated_at INTEGER NOT NULL,
              json TEXT NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_alerts_open ON alerts(subject, rule) WHERE open = 1;
            CREATE INDEX IF NOT EXISTS ix_alerts_updated ON alerts(updated_at);
            CREATE TABLE IF NOT EXISTS alert_events(
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              alert_id INTEGER NOT NULL, version INTEGER NOT NULL, at INTEGER NOT NULL,
              action TEXT NOT NULL, actor TEXT, note TEXT, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_events_alert ON alert_events(alert_id, seq);
            CREATE TABLE IF NOT EXISTS outbox(
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              channel TEXT NOT NULL, alert_id INTEGER NOT NULL, version INTEGER NOT NULL,
              idempotency_key TEXT NOT NULL, topic TEXT, payload TEXT NOT NULL,
              status INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
              delivered_at INTEGER, last_error TEXT);
            CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox(channel, status, alert_id, seq);
            """);
    }

    /// <summary>The file path or in-memory name.</summary>
    public string DataSource => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc />
    public void Dispose()
    {
        _keepAlive?.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Opens a pooled connection with the pragmas every connection needs.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;");
        return connection;
    }

    /// <summary>The open alert of (subject, rule), or null.</summary>
    public static AlertRecord? FindOpen(SqliteConnection connection, SqliteTransaction? transaction, string subject, string rule)
    {
        using SqliteCommand command = Command(connection, transaction, "SELECT json FROM alerts WHERE subject = $s AND rule = $r AND open = 1");
        command.Parameters.AddWithValue("$s", subject);
        command.Parameters.AddWithValue("$r", rule);
        return command.ExecuteScalar() is string json ? Deserialize(json) : null;
    }

    /// <summary>The alert with <paramref name="id"/>, or null.</summary>
    public static AlertRecord? Get(SqliteConnection connection, SqliteTransaction? transaction, long id)
    {
        using SqliteCommand command = Command(connection, transaction, "SELECT json FROM alerts WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() is string json ? Deserialize(json) : null;
    }

    /// <summary>Alerts, most recently changed first.</summary>
    public static List<AlertRecord> List(SqliteConnection connection, bool openOnly, string? province, string? subject, int limit)
    {
        using SqliteCommand command = Command(connection, null, """
            SELECT json FROM alerts
            WHERE ($open = 0 OR open = 1) AND ($p IS NULL OR province = $p) AND ($s IS NULL OR subject = $s)
            ORDER BY open DESC, updated_at DESC, id DESC LIMIT $limit
            """);
        command.Parameters.AddWithValue("$open", openOnly ? 1 : 0);
        command.Parameters.AddWithValue("$p", (object?)province ?? DBNull.Value);
        command.Parameters.AddWithValue("$s", (object?)subject ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAlerts(command);
    }

    /// <summary>Open alerts of warning severity or above that wait for an acknowledgement and have had no notice.</summary>
    public static List<AlertRecord> OpenUnnotified(SqliteConnection connection, int minSeverity)
    {
        using SqliteCommand command = Command(connection, null, "SELECT json FROM alerts WHERE open = 1 AND severity >= $sev ORDER BY id");
        command.Parameters.AddWithValue("$sev", minSeverity);
        return ReadAlerts(command);
    }

    /// <summary>Inserts a new alert and returns its id.</summary>
    public static long Insert(SqliteConnection connection, SqliteTransaction transaction, AlertRecord alert)
    {
        using SqliteCommand command = Command(connection, transaction, """
            INSERT INTO alerts(subject, rule, province, open, severity, updated_at, json)
            VALUES ($s, $r, $p, 1, $sev, $u, '{}') RETURNING id
            """);
        command.Parameters.AddWithValue("$s", alert.Subject);
        command.Parameters.AddWithValue("$r", alert.Rule);
        command.Parameters.AddWithValue("$p", alert.Province);
        command.Parameters.AddWithValue("$sev", (int)alert.Severity);
        command.Parameters.AddWithValue("$u", alert.UpdatedAt.ToUnixTimeMilliseconds());
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the current version of an alert.</summary>
    public static void Update(SqliteConnection connection, SqliteTransaction transaction, AlertRecord alert, string json)
    {
        using SqliteCommand command = Command(connection, transaction, """
            UPDATE alerts SET open = $open, severity = $sev, updated_at = $u, json = $json WHERE id = $id
            """);
        command.Parameters.AddWithValue("$open", alert.IsOpen ? 1 : 0);
        command.Parameters.AddWithValue("$sev", (int)alert.Severity);
        command.Parameters.AddWithValue("$u", alert.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$json", json);
        command.Parameters.AddWithValue("$id", alert.Id);
        command.ExecuteNonQuery();
    }

    /// <summary>Appends an audit entry and returns its sequence number.</summary>
    public static long AddEvent(SqliteConnection connection, SqliteTransaction transaction, AlertRecord alert, DateTimeOffset at, string action, string? actor, string? note, string json)
    {
        using SqliteCommand command = Command(connection, transaction, """
            INSERT INTO alert_events(alert_id, version, at, action, actor, note, json)
            VALUES ($id, $v, $at, $a, $actor, $note, $json) RETURNING seq
            """);
        command.Parameters.AddWithValue("$id", alert.Id);
        command.Parameters.AddWithValue("$v", alert.Version);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$a", action);
        command.Parameters.AddWithValue("$actor", (object?)actor ?? DBNull.Value);
        command.Parameters.AddWithValue("$note", (object?)note ?? DBNull.Value);
        command.Parameters.AddWithValue("$json", json);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The audit trail of an alert (or every entry after <paramref name="afterSeq"/> when <paramref name="alertId"/> is null).</summary>
    public static List<AlertEvent> Events(SqliteConnection connection, long? alertId, long afterSeq, int limit)
    {
        using SqliteCommand command = Command(connection, null, """
            SELECT seq, alert_id, version, at, action, actor, note, json FROM alert_events
            WHERE ($id IS NULL OR alert_id = $id) AND seq > $after ORDER BY seq LIMIT $limit
            """);
        command.Parameters.AddWithValue("$id", (object?)alertId ?? DBNull.Value);
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        var events = new List<AlertEvent>();
        using SqliteDataReader reader = command.ExecuteReader();
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

    /// <summary>Adds an outbox message in the caller's transaction.</summary>
    public static void Enqueue(SqliteConnection connection, SqliteTransaction transaction, string channel, AlertRecord alert, string key, string? topic, string payload, DateTimeOffset now)
    {
        using SqliteCommand command = Command(connection, transaction, """
            INSERT INTO outbox(channel, alert_id, version, idempotency_key, topic, payload, next_attempt_at, created_at)
            VALUES ($c, $id, $v, $k, $t, $p, $now, $now)
            """);
        command.Parameters.AddWithValue("$c", channel);
        command.Parameters.AddWithValue("$id", alert.Id);
        command.Parameters.AddWithValue("$v", alert.Version);
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$t", (object?)topic ?? DBNull.Value);
        command.Parameters.AddWithValue("$p", payload);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The oldest pending message of each alert on <paramref name="channel"/> whose next attempt is due: later
    /// versions of an alert wait until the earlier one is delivered or dead-lettered (order per alert).
    /// </summary>
    public List<OutboxMessage> DueHeads(string channel, DateTimeOffset now, int limit)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, null, """
            SELECT o.seq, o.channel, o.alert_id, o.version, o.idempotency_key, o.topic, o.payload, o.attempts
            FROM outbox o
            JOIN (SELECT MIN(seq) AS seq FROM outbox WHERE channel = $c AND status = 0 GROUP BY alert_id) h ON h.seq = o.seq
            WHERE o.next_attempt_at <= $now ORDER BY o.seq LIMIT $limit
            """);
        command.Parameters.AddWithValue("$c", channel);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        var messages = new List<OutboxMessage>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            messages.Add(new OutboxMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt32(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6),
                reader.GetInt32(7)));
        }

        return messages;
    }

    /// <summary>Records the outcome of one attempt.</summary>
    public void Complete(long seq, int status, int attempts, DateTimeOffset nextAttempt, DateTimeOffset now, string? error)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, null, """
            UPDATE outbox SET status = $st, attempts = $a, next_attempt_at = $next, last_error = $err,
              delivered_at = CASE WHEN $st = 1 THEN $now ELSE delivered_at END
            WHERE seq = $seq
            """);
        command.Parameters.AddWithValue("$st", status);
        command.Parameters.AddWithValue("$a", attempts);
        command.Parameters.AddWithValue("$next", nextAttempt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$err", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$seq", seq);
        command.ExecuteNonQuery();
    }

    /// <summary>Counts outbox messages by status (for health and tests).</summary>
    public long CountOutbox(int status)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, null, "SELECT COUNT(*) FROM outbox WHERE status = $st");
        command.Parameters.AddWithValue("$st", status);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Serialises an alert with the source-generated context.</summary>
    public static string Serialize(AlertRecord alert) => JsonSerializer.Serialize(alert, AlertJsonContext.Default.AlertRecord);

    private static AlertRecord Deserialize(string json) =>
        JsonSerializer.Deserialize(json, AlertJsonContext.Default.AlertRecord) ?? throw new InvalidDataException("Null alert JSON in alerts.db.");

    private static List<AlertRecord> ReadAlerts(SqliteCommand command)
    {
        var alerts = new List<AlertRecord>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            alerts.Add(Deserialize(reader.GetString(0)));
        }

        return alerts;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using SqliteCommand command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }
}
