namespace Resilience.Silo.Ingest;

internal sealed partial class SiloIngestHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3060, Level = LogLevel.Debug, Message = "Message for sensor {SensorId} dropped: {Reason}")]
        public static partial void Rejected(ILogger logger, string sensorId, string reason);

        [LoggerMessage(EventId = 3061, Level = LogLevel.Error, Message = "Handling a sensor message failed; the message is dropped.")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}
