namespace Resilience.Silo.Alerting;

internal sealed partial class StaleSweepService
{
    // next free: 3403
    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "Marking {Sensor} stale failed")]
        public static partial void StaleFailed(ILogger logger, string sensor, Exception exception);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Error, Message = "The stale sweep failed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
