using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Silo.Alerting;

/// <summary>
/// What a grain needs to evaluate alert rules: the rule catalog, the alert service, the clock. Grains call
/// <see cref="LoadAsync(IAlertSubjectSource, SensorRuleContext, Func{AlertRule, bool}, CancellationToken)"/> once per
/// activation and keep the returned <see cref="SubjectRules"/>.
/// </summary>
internal sealed partial class GrainAlerting(AlertRuleCatalog catalog, IAlertService alerts, TimeProvider time, ILogger<GrainAlerting> logger)
{
    /// <summary>The clock transitions are stamped with.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>As <see cref="LoadAsync(IAlertSubjectSource, SensorRuleContext, Func{AlertRule, bool}, CancellationToken)"/> for a fixed subject.</summary>
    public Task<SubjectRules> LoadAsync(AlertSubject subject, SensorRuleContext context, Func<AlertRule, bool> include, CancellationToken cancellationToken) =>
        LoadAsync(new FixedAlertSubject(subject), context, include, cancellationToken);

    /// <summary>
    /// The rules of <paramref name="context"/> (only those <paramref name="include"/> accepts; compiled once and
    /// shared by every subject with the same set, see <see cref="AlertRuleCatalog.Shared"/>) with their states seeded
    /// from the subject's open alerts, so a restarted grain neither re-raises nor forgets an alert. The subject itself
    /// is asked of <paramref name="subject"/> only when a transition happens.
    /// </summary>
    public async Task<SubjectRules> LoadAsync(IAlertSubjectSource subject, SensorRuleContext context, Func<AlertRule, bool> include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        AlertRule[] all = catalog.Shared(context);
        int included = 0;
        foreach (AlertRule rule in all)
        {
            included += include(rule) ? 1 : 0;
        }

        AlertRule[] rules = all;
        if (included < all.Length)
        {
            rules = new AlertRule[included];
            int n = 0;
            foreach (AlertRule rule in all)
            {
                if (include(rule))
                {
                    rules[n++] = rule;
                }
            }
        }

        IReadOnlyList<AlertRecord> open = rules.Length == 0 ? [] : await alerts.OpenAlertsAsync(context.SubjectId, cancellationToken);
        var states = new RuleState[rules.Length];
        for (int i = 0; i < rules.Length; i++)
        {
            AlertSeverity active = AlertSeverity.None;
            foreach (AlertRecord record in open)
            {
                if (string.Equals(record.Rule, rules[i].Id, StringComparison.Ordinal))
                {
                    active = record.Severity;
                }
            }

            states[i] = rules[i].CreateState(active);
        }

        return new SubjectRules(this, subject, rules, states);
    }

    /// <summary>
    /// Applies one transition, awaited inside the grain's turn so the subject's transitions stay in order. A
    /// failure is logged, never thrown into the ingest path (the reading itself was accepted).
    /// </summary>
    public async ValueTask ApplyAsync(AlertSubject subject, RuleTransition transition)
    {
        try
        {
            await alerts.ApplyAsync(subject, transition, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ApplyFailed(logger, subject.Id, transition.Rule?.Id ?? "?", ex);
        }
    }
}
