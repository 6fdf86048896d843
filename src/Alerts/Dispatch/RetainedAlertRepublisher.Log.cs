using Microsoft.Extensions.Logging;

namespace Resilience.Alerts.Dispatch;

internal sealed partial class RetainedAlertRepublisher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Republished {Count} open alerts' retained MQTT states.")]
        public static partial void Republished(ILogger logger, int count);

        [LoggerMessage(EventId = 2022, Level = LogLevel.Error, Message = "Republishing the open alerts' retained MQTT states failed; they appear again with each alert's next change.")]
        public static partial void RepublishFailed(ILogger logger, Exception exception);
    }
}
