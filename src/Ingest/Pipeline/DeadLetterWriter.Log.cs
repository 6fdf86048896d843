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

        [LoggerMessage(EventId = 1523, Level = LogLevel.Information, Message = "Dead-letter quota: deleted the oldest file {Path}.")]
        public static partial void Rotated(ILogger logger, string path);

        [LoggerMessage(EventId = 1524, Level = LogLevel.Warning, Message = "Dead letter dropped: the files under {Directory} are at their quota of {MaxBytes} bytes.")]
        public static partial void OverQuota(ILogger logger, string directory, long maxBytes);

        // next free: 1525
    }
}
