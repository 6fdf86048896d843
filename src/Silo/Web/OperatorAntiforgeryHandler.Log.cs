namespace Resilience.Silo.Web;

internal sealed partial class OperatorAntiforgeryHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3510, EventName = "AntiforgeryRejected", Level = LogLevel.Warning, Message = "Rejected {Method} {Path}: missing or invalid antiforgery token")]
        public static partial void AntiforgeryRejected(ILogger logger, string method, string path);
    }
}
