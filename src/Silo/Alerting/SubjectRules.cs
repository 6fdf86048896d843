using Resilience.Alerts.Evaluation;
using Resilience.Alerts.Lifecycle;
using Resilience.Alerts.Rules;

namespace Resilience.Silo.Alerting;

/// <summary>
/// The compiled rules of one alert subject and their states, held by the grain that owns the subject.
/// Evaluation is synchronous and allocation-free; only a transition (rare) goes to <see cref="IAlertService"/>.
/// States are not persisted: on activation they are seeded from the subject's open alerts. The rules are shared
/// with other subjects (immutable); the states and the subject source are this subject's.
/// </summary>
internal sealed class SubjectRules
{
    private readonly AlertRule[] _rules;
    private readonly RuleState[] _states;
    private readonly GrainAlerting _alerting;
    private readonly IAlertSubjectSource _subject;

    /// <summary>Creates the set; <paramref name="states"/> are already seeded.</summary>
    public SubjectRules(GrainAlerting alerting, IAlertSubjectSource subject, AlertRule[] rules, RuleState[] states)
    {
        _alerting = alerting;
        _subject = subject;
        _rules = rules;
        _states = states;
    }

    /// <summary>How many rules are evaluated.</summary>
    public int Count => _rules.Length;

    /// <summary>
    /// Evaluates every rule that applies to <paramref name="quantity"/> (rules without a quantity, offline and
    /// suspect, apply to every quantity) and applies the transitions in order.
    /// </summary>
    public ValueTask EvaluateAsync(string quantity, Reading reading) =>
        EvaluateAsync(quantity, reading, static _ => null, (object?)null);

    /// <summary>
    /// As <see cref="EvaluateAsync(string, Reading)"/>; when a transition happens, <paramref name="nextAlarm"/> is
    /// asked (only then, so the nowcast costs nothing per reading) for the time-to-next-alarm the alert carries.
    /// </summary>
    public ValueTask EvaluateAsync<TState>(string quantity, Reading reading, Func<TState, NextAlarm?> nextAlarm, TState state)
    {
        DateTimeOffset now = _alerting.Time.GetUtcNow();
        for (int i = 0; i < _rules.Length; i++)
        {
            AlertRule rule = _rules[i];
            if (!rule.Applies(quantity))
            {
                continue;
            }

            RuleTransition t = rule.Evaluate(ref _states[i], in reading, now);
            if (!t.IsNone)
            {
                NextAlarm? next = nextAlarm(state);
                AlertSubject subject = _subject.CreateAlertSubject();
                subject = next is null ? subject : subject with { NextAlarm = next };
                return ApplyFromAsync(subject, i, t, quantity, reading, now);
            }
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask ApplyFromAsync(AlertSubject subject, int index, RuleTransition first, string quantity, Reading reading, DateTimeOffset now)
    {
        await _alerting.ApplyAsync(subject, first);
        for (int i = index + 1; i < _rules.Length; i++)
        {
            AlertRule rule = _rules[i];
            if (!rule.Applies(quantity))
            {
                continue;
            }

            RuleTransition t = rule.Evaluate(ref _states[i], in reading, now);
            if (!t.IsNone)
            {
                await _alerting.ApplyAsync(subject, t);
            }
        }
    }
}
