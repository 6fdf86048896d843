using Resilience.Alerts.Lifecycle;

namespace Resilience.Silo.Alerting;

/// <summary>An <see cref="IAlertSubjectSource"/> that always answers one subject (benchmarks, tools).</summary>
internal sealed class FixedAlertSubject(AlertSubject subject) : IAlertSubjectSource
{
    public AlertSubject CreateAlertSubject() => subject;
}
