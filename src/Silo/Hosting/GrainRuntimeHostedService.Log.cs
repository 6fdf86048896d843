namespace Resilience.Silo.Hosting;

internal sealed partial class GrainRuntimeHostedService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3070, Level = LogLevel.Error, Message = "Grain sweep failed; the next tick retries.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3071, Level = LogLevel.Information, Message = "Drained and deactivated {Activations} grains in {ElapsedMs:F0} ms; state and points flushed.")]
        public static partial void Drained(ILogger logger, int activations, double elapsedMs);
    }
}
