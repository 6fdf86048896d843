namespace Resilience.Silo.Persistence;

internal sealed partial class RelationalGrainStorage
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3450, Level = LogLevel.Error, Message = "Grain state batch of {Count} write(s) to {Store} failed; the grains retry.")]
        public static partial void BatchFailed(ILogger logger, int count, string store, Exception exception);

        [LoggerMessage(EventId = 3451, Level = LogLevel.Warning, Message = "Stored state {StateName} of {GrainId} could not be read and was skipped.")]
        public static partial void ScanSkipped(ILogger logger, string stateName, string grainId, Exception exception);

        // next free: 3452 (3450–3469 kept for cluster and storage hosting; the rest of the silo counts from 3097)
    }
}
