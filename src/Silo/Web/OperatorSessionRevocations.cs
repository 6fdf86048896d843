using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Storage;

namespace Resilience.Silo.Web;

/// <summary>
/// Session ids of operator cookies that were signed out. The cookie handler rejects a cookie whose session id is
/// revoked, so a copied cookie stops working at logout. An id is kept until the cookie could have expired anyway
/// (sign-in time + the absolute session limit). The ids are in the state database (table
/// <c>operator_session_revocations</c>; <see cref="WebStateDatabase"/>), so a logout on one silo is refused by every
/// silo of a cluster and survives a restart. Each silo asks the database about a session at most once per
/// <see cref="WebPagesOptions.SessionCheckMilliseconds"/> (default 1 s: another silo's logout takes effect within
/// that); ids it knows to be revoked it refuses without asking. When the database cannot answer, the last answer (or
/// "not revoked") stands: operators are not locked out of the console by a database outage, and the absolute session
/// limit still bounds a stolen cookie.
/// </summary>
internal sealed partial class OperatorSessionRevocations
{
    /// <summary>The claim type of the session id.</summary>
    public const string SessionIdClaim = "resilience:sid";

    private const int PruneThreshold = 10_000;
    private static readonly TimeSpan s_pruneInterval = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checkedValid = new(StringComparer.Ordinal);
    private readonly StateDatabase _db;
    private readonly TimeSpan _checkInterval;
    private readonly TimeProvider _time;
    private readonly ILogger<OperatorSessionRevocations> _logger;
    private long _lastPruneTicks;

    /// <summary>Uses the web state database, creating the table when it is missing.</summary>
    public OperatorSessionRevocations(WebStateDatabase database, IOptions<WebPagesOptions> options, TimeProvider time, ILogger<OperatorSessionRevocations> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _db = database.Database;
        _checkInterval = TimeSpan.FromMilliseconds(options.Value.SessionCheckMilliseconds);
        _time = time;
        _logger = logger;
        _db.EnsureSchema("""
            CREATE TABLE IF NOT EXISTS operator_session_revocations(session_id TEXT PRIMARY KEY, until_ms BIGINT NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_session_revocations_until ON operator_session_revocations(until_ms)
            """);
    }

    /// <summary>Revoked ids this silo currently remembers.</summary>
    public int Count => _revoked.Count;

    /// <summary>A fresh random session id.</summary>
    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Revokes <paramref name="sessionId"/> until <paramref name="until"/>: at once on this silo, and in the database for
    /// the others (a failure there is logged; this silo still refuses the id).
    /// </summary>
    public async Task RevokeAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        DateTimeOffset now = _time.GetUtcNow();
        PruneMemory(now);
        _revoked[sessionId] = until;
        _checkedValid.TryRemove(sessionId, out _);
        try
        {
            await using DbConnection connection = await _db.OpenAsync(cancellationToken);
            await using (DbCommand command = StateDatabase.Command(connection, null, """
                INSERT INTO operator_session_revocations(session_id, until_ms) VALUES (@id, @until)
                ON CONFLICT(session_id) DO UPDATE SET until_ms = excluded.until_ms
                """))
            {
                StateDatabase.Add(command, "@id", sessionId);
                StateDatabase.Add(command, "@until", until.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            long last = Interlocked.Read(ref _lastPruneTicks);
            if (now.UtcTicks - last >= s_pruneInterval.Ticks && Interlocked.CompareExchange(ref _lastPruneTicks, now.UtcTicks, last) == last)
            {
                await using DbCommand prune = StateDatabase.Command(connection, null, "DELETE FROM operator_session_revocations WHERE until_ms <= @now");
                StateDatabase.Add(prune, "@now", now.ToUnixTimeMilliseconds());
                await prune.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            Log.RevocationNotStored(_logger, ex);
        }
    }

    /// <summary>True when <paramref name="sessionId"/> is missing or was revoked (on any silo).</summary>
    public async ValueTask<bool> IsRevokedAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return true;
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (_revoked.TryGetValue(sessionId, out DateTimeOffset until))
        {
            return until > now;
        }

        if (_checkedValid.TryGetValue(sessionId, out DateTimeOffset checkedAt) && now - checkedAt < _checkInterval)
        {
            return false;
        }

        try
        {
            await using DbConnection connection = await _db.OpenAsync(cancellationToken);
            await using DbCommand command = StateDatabase.Command(connection, null, "SELECT until_ms FROM operator_session_revocations WHERE session_id = @id");
            StateDatabase.Add(command, "@id", sessionId);
            object? found = await command.ExecuteScalarAsync(cancellationToken);
            if (found is not null and not DBNull)
            {
                until = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(found, CultureInfo.InvariantCulture));
                PruneMemory(now);
                _revoked[sessionId] = until;
                _checkedValid.TryRemove(sessionId, out _);
                return until > now;
            }
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            Log.RevocationCheckFailed(_logger, ex);
            return false;
        }

        PruneMemory(now);
        _checkedValid[sessionId] = now;
        return false;
    }

    private static bool IsStoreFault(Exception ex) =>
        ex is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException;

    private void PruneMemory(DateTimeOffset now)
    {
        if (_revoked.Count >= PruneThreshold)
        {
            foreach (KeyValuePair<string, DateTimeOffset> pair in _revoked)
            {
                if (pair.Value <= now)
                {
                    _revoked.TryRemove(pair.Key, out _);
                }
            }
        }

        if (_checkedValid.Count >= PruneThreshold)
        {
            foreach (KeyValuePair<string, DateTimeOffset> pair in _checkedValid)
            {
                if (now - pair.Value >= _checkInterval)
                {
                    _checkedValid.TryRemove(pair.Key, out _);
                }
            }
        }
    }
}
