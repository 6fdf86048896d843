namespace Resilience.Silo.Grains;

internal sealed partial class ActivationData
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Error, Message = "Activation of {GrainType}/{Key} failed; queued calls fail.")]
        public static partial void ActivationFailed(ILogger logger, string grainType, string key, Exception exception);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "OnDeactivateAsync of {GrainType}/{Key} failed; the activation is dropped anyway.")]
        public static partial void DeactivationFailed(ILogger logger, string grainType, string key, Exception exception);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Checkpoint of {GrainType}/{Key} failed; the next sweep retries.")]
        public static partial void CheckpointFailed(ILogger logger, string grainType, string key, Exception exception);
    }
}
