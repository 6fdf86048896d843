namespace Resilience.Silo.Grains;

internal sealed partial class GrainRuntime
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "A grain timer callback failed; the timer keeps running.")]
        public static partial void TimerFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Grain runtime stopped; {Deactivations} deactivations in total.")]
        public static partial void Stopped(ILogger logger, long deactivations);
    }
}
