using System.Text.Json;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Api;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// The SQLite-backed <see cref="IAlertService"/>. Writes are serialised under one lock and never await inside
/// it (SQLite work is synchronous); each change commits the alert row, its audit entry and its outbox messages
/// together, then notifies the SSE hub and wakes the dispatch workers.
/// </summary>
internal sealed partial class AlertService : IAlertService
{
    /// <summary>The actor recorded for rule-driven changes.</summary>
    public const string SystemActor = "system";

    private readonly Lock _gate = new();
    private readonly AlertStore _store;
    private readonly AlertStreamHub _hub;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertService> _logger;
    private readonly string[] _webhookChannels;
    private readonly bool _mqtt;
    private readonly bool _influx;
    private readonly TimeSpan _acknowledgeTimeout;
    private readonly Dictionary<string, Queue<PendingTransition>> _pending = new(StringComparer.Ordinal);
    private readonly Lock _faultGate = new();
    private long _pendingCount;
    private string? _faultReason;
    private DateTimeOffset? _faultSince;

    /// <summary>
    /// Creates the service as the host composes it: with a shared ledger and no outbox MQTT publisher but the silo's
    /// embedded broker (no external broker), no <c>mqtt</c> outbox messages are queued, because each silo's
    /// <see cref="AlertFeedFollower"/> publishes every change on its own broker; one outbox delivery would reach one
    /// broker only, and a late retry could overwrite a newer state there.
    /// </summary>
    public AlertService(AlertStore store, AlertStreamHub hub, OutboxSignal signal, IEnumerable<IAlertMqttPublisher> mqttPublishers, IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlertService> logger)
        : this(store, hub, signal, options, time, logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mqttPublishers);
        if (MqttDispatcher.FollowerOwnsTarget(store.Database, options.Value, mqttPublishers))
        {
            _mqtt = false;
        }
    }

    /// <summary>Creates the service (every enabled channel queued in the outbox).</summary>
    public AlertService(AlertStore store, AlertStreamHub hub, OutboxSignal signal, IOptions<AlertsOptions> options, TimeProvider time, ILogger<AlertService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _hub = hub;
        _signal = signal;
        _time = time;
        _logger = logger;
        AlertsOptions value = options.Value;
        _webhookChannels = new string[value.Webhooks.Count];
        for (int i = 0; i < _webhookChannels.Length; i++)
        {
            _webhookChannels[i] = WebhookChannel(value.Webhooks[i].Url);
        }

        _mqtt = value.Mqtt;
        _influx = value.Influx;
        _acknowledgeTimeout = value.Dispatch.AcknowledgeTimeout;
    }

    /// <summary>First delay before a failed commit is retried; doubled per failure up to <see cref="RetryMax"/>.</summary>
    private static readonly TimeSpan RetryBase = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest delay between commit retries.</summary>
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(2);

    /// <summary>The outbox channel name of a webhook URL.</summary>
    public static string WebhookChannel(string url) => "webhook:" + url;

    /// <summary>
    /// A channel name fit for logs and metric tags: a webhook URL loses its user info, query and fragment
    /// (where receivers put tokens), keeping scheme, host, port and path.
    /// </summary>
    public static string RedactChannel(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        const string prefix = "webhook:";
        if (!channel.StartsWith(prefix, StringComparison.Ordinal))
        {
            return channel;
        }

        return Uri.TryCreate(channel[prefix.Length..], UriKind.Absolute, out Uri? url)
            ? prefix + url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : prefix + "(invalid url)";
    }

    /// <summary>The outbox channel name of MQTT publication.</summary>
    public const string MqttChannel = "mqtt";

    /// <summary>The outbox channel name of the InfluxDB <c>alert</c> measurement.</summary>
    public const string InfluxChannel = "influx";

    /// <summary>
    /// Commits a rule transition. When the ledger fails (disk full, database down) the transition is not lost:
    /// it joins its subject's retry queue, a background loop commits it with bounded backoff, and every later
    /// transition of that subject queues behind it, so the subject's alerts commit in order. Until then the
    /// result is null and <see cref="Health"/> reports the fault. A transition counts once it is committed.
    /// </summary>
    public ValueTask<AlertRecord?> ApplyAsync(AlertSubject subject, RuleTransition transition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (transition.IsNone || transition.Rule is null)
        {
            return ValueTask.FromResult<AlertRecord?>(null);
        }

        lock (_gate)
        {
            if (_pending.TryGetValue(subject.Id, out Queue<PendingTransition>? queue))
            {
                queue.Enqueue(new PendingTransition(subject, transition));
                Interlocked.Increment(ref _pendingCount);
                return ValueTask.FromResult<AlertRecord?>(null);
            }

            try
            {
                AlertRecord? committed = ApplyLocked(subject, transition);
                return ValueTask.FromResult(committed);
            }
            catch (Exception ex) when (IsStoreFault(ex))
            {
                queue = new Queue<PendingTransition>();
                queue.Enqueue(new PendingTransition(subject, transition));
                _pending.Add(subject.Id, queue);
                Interlocked.Increment(ref _pendingCount);
                Fault(ex);
                Log.CommitQueued(_logger, subject.Id, transition.Rule.Id, transition.Severity, ex);
                _ = Task.Run(() => DrainAsync(subject.Id), CancellationToken.None); // outlives the caller: the retry is the point
                return ValueTask.FromResult<AlertRecord?>(null);
            }
        }
    }

    /// <summary>The ledger's health: ok, or degraded with the reason while commits fail or wait for a retry.</summary>
    public AlertStoreHealth Health()
    {
        lock (_faultGate)
        {
            long pending = Interlocked.Read(ref _pendingCount);
            return new AlertStoreHealth(_faultReason is null && pending == 0, _faultReason, _faultSince, pending, _store.DataSource);
        }
    }

    /// <summary>True when <paramref name="ex"/> is the ledger failing (I/O, database, connection), not a bug in the transition.</summary>
    internal static bool IsStoreFault(Exception ex) =>
        ex is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException or UnauthorizedAccessException;

    private async Task DrainAsync(string subjectId)
    {
        TimeSpan delay = RetryBase;
        while (true)
        {
            await Task.Delay(delay, _time).ConfigureAwait(false);
            lock (_gate)
            {
                Queue<PendingTransition> queue = _pending[subjectId];
                while (queue.TryPeek(out PendingTransition? head))
                {
                    try
                    {
                        ApplyLocked(head.Subject, head.Transition);
                    }
                    catch (Exception ex) when (IsStoreFault(ex))
                    {
                        Fault(ex);
                        Log.CommitRetryFailed(_logger, subjectId, queue.Count, delay, ex);
                        break;
                    }

                    queue.Dequeue();
                    Interlocked.Decrement(ref _pendingCount);
                }

                if (queue.Count == 0)
                {
                    _pending.Remove(subjectId);
                    Recovered();
                    Log.CommitRecovered(_logger, subjectId);
                    return;
                }
            }

            delay = TimeSpan.FromTicks(Math.Min(RetryMax.Ticks, delay.Ticks * 2));
        }
    }

    private void Fault(Exception ex)
    {
        lock (_faultGate)
        {
            string reason = _store.Database.IsStorageFull(ex)
                ? $"alert store full ({_store.DataSource}): {ex.Message}"
                : $"alert store failing ({_store.DataSource}): {ex.GetType().Name}: {ex.Message}";
            _faultSince ??= _time.GetUtcNow();
            _faultReason = reason;
        }
    }

    private void Recovered()
    {
        lock (_faultGate)
        {
            if (_pending.Count == 0)
            {
                _faultReason = null;
                _faultSince = null;
            }
        }
    }

    private AlertRecord? ApplyLocked(AlertSubject subject, in RuleTransition transition)
    {
        AlertRule rule = transition.Rule!;
        {
            using DbConnection connection = _store.Open();
            using DbTransaction tx = connection.BeginTransaction();
            AlertRecord? open = _store.FindOpen(connection, tx, subject.Id, rule.Id);
            AlertRecord next;
            string action;
            DateTimeOffset at = transition.At;
            if (transition.Kind == TransitionKind.Clear)
            {
                if (open is null)
                {
                    return null;
                }

                next = open with
                {
                    State = AlertState.Resolved,
                    Value = transition.Value,
                    ObservedAt = transition.ObservedAt,
                    ResolvedAt = at,
                    ResolvedBy = SystemActor,
                    UnacknowledgedSince = null,
                    NextAlarm = null,
                };
                action = "resolved";
            }
            else if (open is null)
            {
                next = new AlertRecord
                {
                    Subject = subject.Id,
                    SubjectKind = subject.Kind,
                    Province = subject.Province,
                    Rule = rule.Id,
                    RuleKind = rule.Kind,
                    Severity = transition.Severity,
                    State = AlertState.Raised,
                    Value = transition.Value,
                    Level = transition.Threshold?.Label,
                    NameVi = transition.Threshold?.NameVi ?? rule.NameVi,
                    NameEn = transition.Threshold?.NameEn ?? rule.NameEn,
                    RaisedAt = at,
                    ObservedAt = transition.ObservedAt,
                    UnacknowledgedSince = at,
                    Area = subject,
                    AlarmLevels = subject.AlarmLevels,
                    NextAlarm = subject.NextAlarm,
                };
                action = "raised";
            }
            else if (transition.Severity > open.Severity)
            {
                next = Retarget(open, transition, subject) with
                {
                    State = AlertState.Escalated,
                    AcknowledgedBy = null,
                    AcknowledgedAt = null,
                    UnacknowledgedSince = at,
                    NoticeSentAt = null,
                };
                action = "escalated";
            }
            else if (transition.Severity < open.Severity)
            {
                next = Retarget(open, transition, subject) with { State = AlertState.Deescalated };
                action = "deescalated";
            }
            else
            {
                return open; // same severity: the alert already says so
            }

            AlertRecord committed = Commit(connection, tx, next, open is null, at, action, SystemActor, null, notice: false);
            Log.Transition(_logger, committed.Id, committed.Subject, committed.Rule, action, committed.Severity, committed.Version);
            return committed;
        }
    }

    /// <inheritdoc />
    public ValueTask<AlertCommandResult> AcknowledgeAsync(long id, string by, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return ValueTask.FromResult(Command(id, by, note, (open, now) => (open with
        {
            State = AlertState.Acknowledged,
            AcknowledgedBy = by,
            AcknowledgedAt = now,
            Note = note,
            UnacknowledgedSince = null,
        }, "acknowledged")));
    }

    /// <inheritdoc />
    public ValueTask<AlertCommandResult> ResolveAsync(long id, string by, string? note, bool mistaken = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return ValueTask.FromResult(Command(id, by, note, (open, now) => (open with
        {
            State = AlertState.Resolved,
            ResolvedAt = now,
            ResolvedBy = by,
            Note = note,
            Mistaken = mistaken,
            UnacknowledgedSince = null,
        }, mistaken ? "cancelled" : "resolved")));
    }

    /// <inheritdoc />
    public ValueTask<AlertRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        using DbConnection connection = _store.Open();
        return ValueTask.FromResult(_store.Get(connection, null, id));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AlertRecord>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using DbConnection connection = _store.Open();
        return ValueTask.FromResult<IReadOnlyList<AlertRecord>>(
            AlertStore.List(connection, query.ActiveOnly, query.Province, query.Subject, Math.Clamp(query.Limit, 1, 10_000)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AlertEvent>> HistoryAsync(long id, CancellationToken cancellationToken = default)
    {
        using DbConnection connection = _store.Open();
        return ValueTask.FromResult<IReadOnlyList<AlertEvent>>(AlertStore.Events(connection, id, 0, 100_000));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AlertRecord>> OpenAlertsAsync(string subject, CancellationToken cancellationToken = default)
    {
        using DbConnection connection = _store.Open();
        return ValueTask.FromResult<IReadOnlyList<AlertRecord>>(AlertStore.List(connection, true, null, subject, 1000));
    }

    /// <summary>Audit entries after <paramref name="afterSeq"/> (SSE resume).</summary>
    public IReadOnlyList<AlertEvent> EventsAfter(long afterSeq, int limit)
    {
        using DbConnection connection = _store.Open();
        return AlertStore.Events(connection, null, afterSeq, limit);
    }

    /// <summary>
    /// Sends the escalation notice (audit entry, webhook, SSE "notice") for every open alert of warning severity
    /// or above that has waited longer than the acknowledge timeout; once per unacknowledged severity.
    /// </summary>
    public int SendDueNotices()
    {
        DateTimeOffset now = _time.GetUtcNow();
        int sent = 0;
        lock (_gate)
        {
            using DbConnection connection = _store.Open();
            foreach (AlertRecord alert in AlertStore.OpenUnnotified(connection, (int)AlertSeverity.Warning))
            {
                if (alert.State == AlertState.Acknowledged || alert.NoticeSentAt is not null ||
                    alert.UnacknowledgedSince is not { } since || now - since < _acknowledgeTimeout)
                {
                    continue;
                }

                using DbTransaction tx = connection.BeginTransaction();
                // Read again under the row lock: another silo may have acknowledged the alert or sent this notice
                // since the list was read, and committing the stale copy would undo its change or notify twice.
                AlertRecord? current = _store.Get(connection, tx, alert.Id);
                if (current is null || !current.IsOpen || current.State == AlertState.Acknowledged || current.NoticeSentAt is not null ||
                    current.UnacknowledgedSince is not { } unacknowledged || now - unacknowledged < _acknowledgeTimeout)
                {
                    tx.Rollback();
                    continue;
                }

                AlertRecord noticed = current with { NoticeSentAt = now };
                Commit(connection, tx, noticed, false, now, "notice", SystemActor, $"Unacknowledged for {(now - unacknowledged).TotalMinutes:F0} min", notice: true);
                Log.Notice(_logger, alert.Id, alert.Subject, alert.Rule, alert.Severity);
                sent++;
            }
        }

        return sent;
    }

    private AlertCommandResult Command(long id, string by, string? note, Func<AlertRecord, DateTimeOffset, (AlertRecord Next, string Action)> change)
    {
        lock (_gate)
        {
            using DbConnection connection = _store.Open();
            using DbTransaction tx = connection.BeginTransaction();
            AlertRecord? current = _store.Get(connection, tx, id);
            if (current is null)
            {
                return new AlertCommandResult(AlertCommandStatus.NotFound, null);
            }

            if (!current.IsOpen)
            {
                return new AlertCommandResult(AlertCommandStatus.Closed, current);
            }

            DateTimeOffset now = _time.GetUtcNow();
            (AlertRecord next, string action) = change(current, now);
            AlertRecord committed = Commit(connection, tx, next, false, now, action, by, note, notice: false);
            Log.Command(_logger, committed.Id, action, by, committed.Version);
            return new AlertCommandResult(AlertCommandStatus.Ok, committed);
        }
    }

    private static AlertRecord Retarget(AlertRecord open, in RuleTransition transition, AlertSubject subject) => open with
    {
        Severity = transition.Severity,
        Value = transition.Value,
        Level = transition.Threshold?.Label ?? open.Level,
        NameVi = transition.Threshold?.NameVi ?? open.NameVi,
        NameEn = transition.Threshold?.NameEn ?? open.NameEn,
        ObservedAt = transition.ObservedAt,
        Area = subject,
        AlarmLevels = subject.AlarmLevels ?? open.AlarmLevels,
        NextAlarm = transition.Severity > open.Severity ? subject.NextAlarm : null,
    };

    private AlertRecord Commit(DbConnection connection, DbTransaction tx, AlertRecord next, bool isNew, DateTimeOffset at, string action, string? actor, string? note, bool notice)
    {
        if (isNew)
        {
            next = next with { Id = AlertStore.Insert(connection, tx, next with { UpdatedAt = at }) };
        }

        if (!notice)
        {
            next = next with { Version = next.Version + 1, UpdatedAt = at };
        }

        string json = AlertStore.Serialize(next);
        string publicJson = AlertStore.Serialize(next.ForPublic());
        AlertStore.Update(connection, tx, next, json);
        long seq = AlertStore.AddEvent(connection, tx, next, at, action, actor, note, json);
        string key = notice ? $"alert-{next.Id}-v{next.Version}-notice" : $"alert-{next.Id}-v{next.Version}";
        DateTimeOffset due = _time.GetUtcNow(); // the dispatch clock, not the reading's time
        if (_webhookChannels.Length > 0)
        {
            string body = JsonSerializer.Serialize(
                new WebhookEnvelope(notice ? "alert.unacknowledged" : "alert", key, next),
                AlertJsonContext.Default.WebhookEnvelope);
            foreach (string channel in _webhookChannels)
            {
                AlertStore.Enqueue(connection, tx, channel, next, key, null, body, due);
            }
        }

        if (_mqtt && !notice)
        {
            AlertStore.Enqueue(connection, tx, MqttChannel, next, key, $"alerts/{next.Province}/{next.Subject}", publicJson, due);
        }

        if (_influx && !notice)
        {
            AlertStore.Enqueue(connection, tx, InfluxChannel, next, key, null, json, due);
        }

        tx.Commit();
        AlertMetrics.Changes.Add(1, new KeyValuePair<string, object?>("action", action));
        _hub.Publish(new AlertStreamEvent(seq, notice ? "notice" : "alert", json, publicJson));
        _signal.Ring();
        return next;
    }

    private sealed record PendingTransition(AlertSubject Subject, RuleTransition Transition);
}
