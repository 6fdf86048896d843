namespace Resilience.Silo.Sensors;

internal sealed partial class SensorSnapshotExchange
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3092, Level = LogLevel.Warning, Message = "Sensor snapshot exchange with the shared database failed; retried at the next interval")]
        public static partial void ExchangeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3093, Level = LogLevel.Warning, Message = "Stored snapshot of sensor {SensorId} could not be read; skipped")]
        public static partial void RowSkipped(ILogger logger, string sensorId, Exception exception);
        // next free: 3097 (Silo range 3000–3499, shared across the silo's Log classes)
    }
}
