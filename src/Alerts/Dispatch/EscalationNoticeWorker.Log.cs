using Microsoft.Extensions.Logging;

namespace Resilience.Alerts.Dispatch;

internal sealed partial class EscalationNoticeWorker
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2020, Level = LogLevel.Error, Message = "Escalation-notice check failed; the next tick retries.")]
        public static partial void CheckFailed(ILogger logger, Exception exception);

        // next free: 2028 (2021–2022: RetainedAlertRepublisher.Log.cs; 2023–2027: AlertFeedFollower.Log.cs)
    }
}
