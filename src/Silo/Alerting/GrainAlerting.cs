using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Silo.Alerting;

/// <summary>
/// What a grain needs to evaluate alert rules: the rule catalog, the alert service, the clock. Grains call
/// <see cref="LoadAsync"/> once per activation and keep the returned <see cref="SubjectRules"/>.
/// </summary>
internal sealed partial class GrainAlerting(AlertRuleCatalog catalog, IAlertService alerts, TimeProvider time, ILogger<GrainAlerting> logger)
{
    /// <summary>The clock transitions are stamped with.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>
    /// Compiles the rules of <paramref name="context"/> (only those <paramref name="include"/> accepts) and seeds
    /// their states from the subject's open alerts, so a restarted grain neither re-raises nor forgets an alert.
    /// </summary>
    public async Task<SubjectRules> LoadAsync(AlertSubject subject, SensorRuleContext context, Func<AlertRule, bool> include, CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertRule> all = catalog.For(context);
        var rules = new List<AlertRule>(all.Count);
        foreach (AlertRule rule in all)
        {
            if (include(rule))
            {
                rules.Add(rule);
            }
        }

        IReadOnlyList<AlertRecord> open = rules.Count == 0 ? [] : await alerts.OpenAlertsAsync(subject.Id, cancellationToken);
        var states = new RuleState[rules.Count];
        for (int i = 0; i < rules.Count; i++)
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

        return new SubjectRules(this, subject, [.. rules], states);
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
