namespace Resilience.Silo.Hosting;

internal sealed partial class PipelineMeasurementPublisher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3460, Level = LogLevel.Warning, Message = "Writing the pipeline measurement failed; the next tick tries again.")]
        public static partial void PublishFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3461, Level = LogLevel.Debug, Message = "The point writer is full; this pipeline sample is skipped.")]
        public static partial void WriterFull(ILogger logger);

        // next free: 3462
    }
}
