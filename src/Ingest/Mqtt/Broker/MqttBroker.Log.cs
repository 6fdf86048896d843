using System.Net;
using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Mqtt.Broker;

internal sealed partial class MqttBroker
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "MQTT broker listening on {EndPoint} (TLS: {Tls}).")]
        public static partial void Listening(ILogger logger, IPEndPoint endPoint, bool tls);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "MQTT broker stopped.")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Accepting an MQTT connection failed.")]
        public static partial void AcceptFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "MQTT connection refused: the limit of {MaxConnections} connections is reached.")]
        public static partial void TooManyConnections(ILogger logger, int maxConnections);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "In-process MQTT handler for '{Filter}' failed; the message is dropped for it.")]
        public static partial void HandlerFailed(ILogger logger, string filter, Exception exception);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' took over an existing session's connection.")]
        public static partial void SessionTakenOver(ILogger logger, string clientId);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' missed its keep-alive of {KeepAlive} s; closing.")]
        public static partial void KeepAliveExpired(ILogger logger, string clientId, int keepAlive);

        [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Publishing will message on '{Topic}'.")]
        public static partial void PublishingWill(ILogger logger, string topic);

        [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "MQTT password file {Path} loaded: {Count} users.")]
        public static partial void PasswordFileLoaded(ILogger logger, string path, int count);

        [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "No MQTT users are configured and anonymous access is off: every device login will be refused. Add users with 'Resilience.Silo device-password <sensorId> --file <path>' and set Resilience:Mqtt:Broker:PasswordFile.")]
        public static partial void NoUsers(ILogger logger);

        [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Retained message not kept: the limit of {MaxMessages} messages or {MaxBytes} bytes is reached.")]
        public static partial void RetainedLimit(ILogger logger, int maxMessages, long maxBytes);

        [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "MQTT client '{ClientId}' reads too slowly ({QueuedBytes} bytes queued, queue full); disconnecting it.")]
        public static partial void SlowReader(ILogger logger, string clientId, long queuedBytes);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "MQTT connection from {Address} refused at accept: {Reason}.")]
        public static partial void AddressRefused(ILogger logger, IPAddress address, MqttAdmission reason);

        [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "MQTT password file {Path} could not be re-read ({Reason}); the previous users stay in force.")]
        public static partial void PasswordFileUnreadable(ILogger logger, string path, string reason);

        // next free: 1014 (1020–1049: MqttBrokerConnection)
    }
}
