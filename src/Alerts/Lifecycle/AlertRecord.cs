using System.Text.Json.Serialization;
using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// One alert at one version: the JSON the API, webhooks, MQTT and SSE carry (camelCase), and the snapshot kept
/// per version for the audit trail and CAP. Immutable; each change produces a new record with Version + 1.
/// </summary>
internal sealed record AlertRecord
{
    /// <summary>Alert id.</summary>
    public long Id { get; init; }

    /// <summary>Sensor or zone id.</summary>
    public required string Subject { get; init; }

    /// <summary>"sensor" or "zone".</summary>
    public string SubjectKind { get; init; } = "sensor";

    /// <summary>Province slug.</summary>
    public required string Province { get; init; }

    /// <summary>Rule id (e.g. "water-level").</summary>
    public required string Rule { get; init; }

    /// <summary>Rule kind.</summary>
    public RuleKind RuleKind { get; init; }

    /// <summary>Current severity.</summary>
    public AlertSeverity Severity { get; init; }

    /// <summary>Lifecycle state.</summary>
    public AlertState State { get; init; }

    /// <summary>The value that drove the last change (m, m/h, mm, AQI …).</summary>
    public double Value { get; init; }

    /// <summary>Threshold label (e.g. "II", "24h").</summary>
    public string? Level { get; init; }

    /// <summary>Vietnamese name of the condition (e.g. "Báo động II").</summary>
    public string? NameVi { get; init; }

    /// <summary>English name of the condition (e.g. "Alarm level II").</summary>
    public string? NameEn { get; init; }

    /// <summary>When the alert was raised.</summary>
    public DateTimeOffset RaisedAt { get; init; }

    /// <summary>When the alert last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Timestamp of the reading behind the last rule change.</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>Incremented on every change, from 1.</summary>
    public int Version { get; init; }

    /// <summary>Who acknowledged the current severity.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>The last note given with an acknowledgement or resolution.</summary>
    public string? Note { get; init; }

    /// <summary>When resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Who resolved it ("system" when the condition cleared).</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>Resolved as a mistake (CAP Cancel instead of an all-clear Update).</summary>
    public bool Mistaken { get; init; }

    /// <summary>Since when the current severity waits for an acknowledgement (null when acknowledged or resolved).</summary>
    public DateTimeOffset? UnacknowledgedSince { get; init; }

    /// <summary>When the unacknowledged-escalation notice went out for the current severity.</summary>
    public DateTimeOffset? NoticeSentAt { get; init; }

    /// <summary>Subject name, area and geometry (for CAP).</summary>
    public AlertSubject? Area { get; init; }

    /// <summary>The alarm levels I/II/III of the gauge(s) behind a water-level or zone alert, with source and verified flag.</summary>
    public IReadOnlyList<GaugeAlarmLevels>? AlarmLevels { get; init; }

    /// <summary>On a raise or escalation: when the next alarm level is expected at the recent rate of rise (null when withheld).</summary>
    public NextAlarm? NextAlarm { get; init; }

    /// <summary>
    /// The alert as anonymous readers see it (the JSON API without a login, SSE, MQTT, CAP/Atom): operators' names
    /// become "operator" and their free-text notes are left out; "system" stays.
    /// </summary>
    public AlertRecord ForPublic() => this with
    {
        AcknowledgedBy = AcknowledgedBy is null ? null : PublicActor(AcknowledgedBy),
        ResolvedBy = ResolvedBy is null ? null : PublicActor(ResolvedBy),
        Note = null,
    };

    /// <summary>"system" stays; any other actor becomes "operator".</summary>
    public static string PublicActor(string actor) => string.Equals(actor, AlertService.SystemActor, StringComparison.Ordinal) ? actor : "operator";

    /// <summary>True while not resolved.</summary>
    [JsonIgnore]
    public bool IsOpen => State != AlertState.Resolved;
}
