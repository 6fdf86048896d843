namespace Resilience.Silo.Hosting;

internal sealed partial class LivenessSweepService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3080, Level = LogLevel.Warning, Message = "{Count} sensor(s) went offline (no data for 3x their reporting interval).")]
        public static partial void WentOffline(ILogger logger, int count);

        [LoggerMessage(EventId = 3081, Level = LogLevel.Error, Message = "Liveness sweep failed; the next tick retries.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
