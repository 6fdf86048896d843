using Microsoft.Extensions.Logging;
using Resilience.Alerts.Rules;

namespace Resilience.Alerts.Lifecycle;

internal sealed partial class AlertService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Alert {AlertId} ({Subject}/{Rule}) {Action}: {Severity}, version {Version}.")]
        public static partial void Transition(ILogger logger, long alertId, string subject, string rule, string action, AlertSeverity severity, int version);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Alert {AlertId} {Action} by {Actor}, version {Version}.")]
        public static partial void Command(ILogger logger, long alertId, string action, string actor, int version);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Alert {AlertId} ({Subject}/{Rule}, {Severity}) is unacknowledged past the timeout: escalation notice sent.")]
        public static partial void Notice(ILogger logger, long alertId, string subject, string rule, AlertSeverity severity);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Alert transition of {Subject}/{Rule} ({Severity}) could not be committed; queued for retry in order.")]
        public static partial void CommitQueued(ILogger logger, string subject, string rule, AlertSeverity severity, Exception exception);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Retry of {Subject}'s {Count} queued alert transition(s) failed; next in {Delay}.")]
        public static partial void CommitRetryFailed(ILogger logger, string subject, int count, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Queued alert transitions of {Subject} committed.")]
        public static partial void CommitRecovered(ILogger logger, string subject);

        // next free: 2007 (2010–2029 dispatch, 2030–2039 API)
    }
}
