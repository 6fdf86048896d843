namespace Resilience.Silo.Web;

internal sealed partial class OperatorLogin
{
    // Web pages: EventIds 3500–3599. next free: 3506 (3510 is OperatorAntiforgeryHandler's).
    private static partial class Log
    {
        [LoggerMessage(EventId = 3500, EventName = "OperatorSignedIn", Level = LogLevel.Information, Message = "Operator {Username} signed in to the emergency console")]
        public static partial void SignedIn(ILogger logger, string username);

        [LoggerMessage(EventId = 3501, EventName = "OperatorLoginFailed", Level = LogLevel.Warning, Message = "Failed console login for {Username}")]
        public static partial void LoginFailed(ILogger logger, string username);

        [LoggerMessage(EventId = 3502, EventName = "OperatorLockedOut", Level = LogLevel.Warning, Message = "Operator {Username} locked out after repeated failed logins")]
        public static partial void LockedOut(ILogger logger, string username);

        [LoggerMessage(EventId = 3503, EventName = "OperatorLoginWhileLockedOut", Level = LogLevel.Warning, Message = "Console login for locked-out operator {Username} refused")]
        public static partial void LoginWhileLockedOut(ILogger logger, string username);

        [LoggerMessage(EventId = 3504, EventName = "OperatorSignedOut", Level = LogLevel.Information, Message = "Operator {Username} signed out")]
        public static partial void SignedOut(ILogger logger, string username);

        [LoggerMessage(EventId = 3505, EventName = "NoOperatorsConfigured", Level = LogLevel.Warning, Message = "No operator accounts under {Section}:Operators; the emergency console refuses every login")]
        public static partial void NoOperatorsConfigured(ILogger logger, string section);
    }
}
