namespace Resilience.Silo.Web;

internal sealed partial class OperatorSessionRevocations
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3530, EventName = "SessionRevocationNotStored", Level = LogLevel.Error, Message = "A logout could not be stored in the state database: this silo refuses the session, other silos may still accept it until it expires")]
        public static partial void RevocationNotStored(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 3531, EventName = "SessionRevocationCheckFailed", Level = LogLevel.Warning, Message = "Checking a session against the logouts in the state database failed; accepted on this request")]
        public static partial void RevocationCheckFailed(ILogger logger, Exception exception);

        // next free: 3532 (3530–3539: session revocations)
    }
}
