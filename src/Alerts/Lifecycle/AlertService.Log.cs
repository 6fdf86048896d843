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

        // next free: 2004 (2010–2029 dispatch, 2030–2039 API)
    }
}
