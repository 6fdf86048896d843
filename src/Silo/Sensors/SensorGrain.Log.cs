namespace Resilience.Silo.Sensors;

internal sealed partial class SensorGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "InfluxDB point of sensor {SensorId} rejected by the writer: {Reason}")]
        public static partial void PointRejected(ILogger logger, string sensorId, string reason);
    }
}
