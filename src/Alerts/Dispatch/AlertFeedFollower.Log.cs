using Microsoft.Extensions.Logging;

namespace Resilience.Alerts.Dispatch;

internal sealed partial class AlertFeedFollower
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2023, Level = LogLevel.Information, Message = "Alert feed follows the shared ledger from seq {High} ({Gaps} open gaps); republished {Open} open alerts on the embedded broker.")]
        public static partial void Started(ILogger logger, long high, int gaps, int open);

        [LoggerMessage(EventId = 2024, Level = LogLevel.Warning, Message = "Reading the shared alert ledger failed; the next poll retries.")]
        public static partial void PollFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2025, Level = LogLevel.Information, Message = "Alert feed gave up {Count} missing sequence numbers below {High} after the grace window (rolled-back transactions).")]
        public static partial void GapsGivenUp(ILogger logger, int count, long high);

        [LoggerMessage(EventId = 2026, Level = LogLevel.Warning, Message = "Publishing {Topic} (alert {AlertId} v{Version}) on the embedded broker failed; the next poll retries.")]
        public static partial void PublishFailed(ILogger logger, string topic, long alertId, int version, Exception exception);

        [LoggerMessage(EventId = 2027, Level = LogLevel.Debug, Message = "{Topic}: alert {AlertId} v{Version} not published, the broker already has a newer state.")]
        public static partial void StaleSkipped(ILogger logger, string topic, long alertId, int version);
    }
}
