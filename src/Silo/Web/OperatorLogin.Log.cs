namespace Resilience.Silo.Web;

internal sealed partial class OperatorLogin
{
    // Web pages: EventIds 3500–3599. next free: 3507 (3510 is OperatorAntiforgeryHandler's; 3520–3529 SecurityHeaders/limits; 3530–3539 OperatorSessionRevocations).
    private static partial class Log
    {
        [LoggerMessage(EventId = 3500, EventName = "OperatorSignedIn", Level = LogLevel.Information, Message = "Operator {Username} signed in to the emergency console")]
        public static partial void SignedIn(ILogger logger, string username);

        [LoggerMessage(EventId = 3501, EventName = "OperatorLoginFailed", Level = LogLevel.Warning, Message = "Failed console login for {Username} from {Address}")]
        public static partial void LoginFailed(ILogger logger, string username, string address);

        // 3502 and 3503 (the old lockout) are retired.
        [LoggerMessage(EventId = 3506, EventName = "OperatorLoginThrottled", Level = LogLevel.Warning, Message = "Console login for {Username} from {Address} refused: retry in {Wait}")]
        public static partial void LoginThrottled(ILogger logger, string username, string address, TimeSpan wait);

        [LoggerMessage(EventId = 3504, EventName = "OperatorSignedOut", Level = LogLevel.Information, Message = "Operator {Username} signed out")]
        public static partial void SignedOut(ILogger logger, string username);

        [LoggerMessage(EventId = 3505, EventName = "NoOperatorsConfigured", Level = LogLevel.Warning, Message = "No operator accounts under {Section}:Operators; the emergency console refuses every login")]
        public static partial void NoOperatorsConfigured(ILogger logger, string section);
    }
}
