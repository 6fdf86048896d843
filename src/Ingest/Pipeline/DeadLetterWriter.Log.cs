using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Pipeline;

internal sealed partial class DeadLetterWriter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1520, Level = LogLevel.Debug, Message = "Dead letter on {Topic} written: {Reason}.")]
        public static partial void DeadLetterWritten(ILogger logger, string topic, string reason);

        [LoggerMessage(EventId = 1521, Level = LogLevel.Error, Message = "Writing dead letters under {Directory} failed; the batch is dropped and counted.")]
        public static partial void WriteFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(EventId = 1522, Level = LogLevel.Information, Message = "Dead letters go to {Path}.")]
        public static partial void FileOpened(ILogger logger, string path);

        // next free: 1523
    }
}
