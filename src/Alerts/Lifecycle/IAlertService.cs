using Resilience.Alerts.Evaluation;

namespace Resilience.Alerts.Lifecycle;

/// <summary>
/// The alert lifecycle the grains and the HTTP API call. One open alert per (subject, rule): a transition
/// updates it rather than opening another. Every change increments the version, appends to the audit trail
/// and enqueues the dispatch messages in the same SQLite transaction.
/// </summary>
internal interface IAlertService
{
    /// <summary>
    /// Applies a rule transition for <paramref name="subject"/>; returns the alert after the change, or null
    /// when the transition changes nothing (e.g. a clear with no open alert).
    /// </summary>
    ValueTask<AlertRecord?> ApplyAsync(AlertSubject subject, RuleTransition transition, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges an open alert.</summary>
    ValueTask<AlertCommandResult> AcknowledgeAsync(long id, string by, string? note, CancellationToken cancellationToken = default);

    /// <summary>Resolves an open alert by hand; <paramref name="mistaken"/> marks it sent in error (CAP Cancel).</summary>
    ValueTask<AlertCommandResult> ResolveAsync(long id, string by, string? note, bool mistaken = false, CancellationToken cancellationToken = default);

    /// <summary>One alert at its current version.</summary>
    ValueTask<AlertRecord?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Alerts matching <paramref name="query"/>, open first, most recently changed first.</summary>
    ValueTask<IReadOnlyList<AlertRecord>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default);

    /// <summary>The audit trail of an alert, oldest first (empty when unknown).</summary>
    ValueTask<IReadOnlyList<AlertEvent>> HistoryAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The open alerts of a subject, so that a grain can seed its rule states after a restart.</summary>
    ValueTask<IReadOnlyList<AlertRecord>> OpenAlertsAsync(string subject, CancellationToken cancellationToken = default);
}
