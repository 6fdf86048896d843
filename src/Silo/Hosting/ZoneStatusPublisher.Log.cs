namespace Resilience.Silo.Hosting;

internal sealed partial class ZoneStatusPublisher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3090, Level = LogLevel.Error, Message = "Publishing the status of zone {ZoneId} failed; the next tick retries.")]
        public static partial void PublishFailed(ILogger logger, string zoneId, Exception exception);
    }
}
