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

    /// <summary>Creates the service.</summary>
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

    /// <summary>The outbox channel name of a webhook URL.</summary>
    public static string WebhookChannel(string url) => "webhook:" + url;

    /// <summary>The outbox channel name of MQTT publication.</summary>
    public const string MqttChannel = "mqtt";

    /// <summary>The outbox channel name of the InfluxDB <c>alert</c> measurement.</summary>
    public const string InfluxChannel = "influx";

    /// <inheritdoc />
    public ValueTask<AlertRecord?> ApplyAsync(AlertSubject subject, RuleTransition transition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (transition.IsNone || transition.Rule is null)
        {
            return ValueTask.FromResult<AlertRecord?>(null);
        }

        AlertRule rule = transition.Rule;
        lock (_gate)
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
                    return ValueTask.FromResult<AlertRecord?>(null);
                }

                next = open with
                {
                    State = AlertState.Resolved,
                    Value = transition.Value,
                    ObservedAt = transition.ObservedAt,
                    ResolvedAt = at,
                    ResolvedBy = SystemActor,
                    UnacknowledgedSince = null,
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
                return ValueTask.FromResult<AlertRecord?>(open); // same severity: the alert already says so
            }

            AlertRecord committed = Commit(connection, tx, next, open is null, at, action, SystemActor, null, notice: false);
            Log.Transition(_logger, committed.Id, committed.Subject, committed.Rule, action, committed.Severity, committed.Version);
            return ValueTask.FromResult<AlertRecord?>(committed);
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
                AlertRecord noticed = alert with { NoticeSentAt = now };
                Commit(connection, tx, noticed, false, now, "notice", SystemActor, $"Unacknowledged for {(now - since).TotalMinutes:F0} min", notice: true);
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
            AlertStore.Enqueue(connection, tx, MqttChannel, next, key, $"alerts/{next.Province}/{next.Subject}", json, due);
        }

        if (_influx && !notice)
        {
            AlertStore.Enqueue(connection, tx, InfluxChannel, next, key, null, json, due);
        }

        tx.Commit();
        AlertMetrics.Changes.Add(1, new KeyValuePair<string, object?>("action", action));
        _hub.Publish(new AlertStreamEvent(seq, notice ? "notice" : "alert", json));
        _signal.Ring();
        return next;
    }
}
