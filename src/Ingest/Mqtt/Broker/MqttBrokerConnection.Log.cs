using Microsoft.Extensions.Logging;
using Resilience.Ingest.Mqtt.Packets;

namespace Resilience.Ingest.Mqtt.Broker;

internal sealed partial class MqttBrokerConnection
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "MQTT connection {EndPoint} (client '{ClientId}') closed: {ReasonCode}: {Reason}")]
        public static partial void ProtocolViolation(ILogger logger, string endPoint, string clientId, MqttReasonCode reasonCode, string reason);

        [LoggerMessage(EventId = 1021, Level = LogLevel.Information, Message = "MQTT connection {EndPoint} refused for client '{ClientId}', user '{UserName}': {ReasonCode}.")]
        public static partial void AuthenticationFailed(ILogger logger, string endPoint, string clientId, string userName, MqttReasonCode reasonCode);

        [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' connected from {EndPoint} ({Version}, session present: {SessionPresent}).")]
        public static partial void ClientConnected(ILogger logger, string endPoint, string clientId, MqttProtocolVersion version, bool sessionPresent);

        [LoggerMessage(EventId = 1023, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' disconnected ({ReasonCode}).")]
        public static partial void ClientDisconnected(ILogger logger, string clientId, MqttReasonCode reasonCode);

        [LoggerMessage(EventId = 1024, Level = LogLevel.Debug, Message = "MQTT connection {EndPoint} (client '{ClientId}') ended: {Message}")]
        public static partial void ConnectionError(ILogger logger, string endPoint, string clientId, string message);

        [LoggerMessage(EventId = 1025, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' (user '{UserName}') may not publish to that topic; dropped.")]
        public static partial void PublishDenied(ILogger logger, string clientId, string userName);

        [LoggerMessage(EventId = 1026, Level = LogLevel.Error, Message = "MQTT connection {EndPoint} (client '{ClientId}') failed unexpectedly; closed.")]
        public static partial void ConnectionFailed(ILogger logger, string endPoint, string clientId, Exception exception);

        [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "MQTT connection {EndPoint} refused for client '{ClientId}': keep-alive {KeepAlive} s is 0 or above the maximum of {MaxKeepAlive} s.")]
        public static partial void KeepAliveRefused(ILogger logger, string endPoint, string clientId, int keepAlive, int maxKeepAlive);

        [LoggerMessage(EventId = 1041, Level = LogLevel.Information, Message = "MQTT connection {EndPoint} (client '{ClientId}') closed: the CONNACK does not fit its Maximum Packet Size of {MaximumPacketSize} bytes.")]
        public static partial void ConnAckTooLarge(ILogger logger, string endPoint, string clientId, long maximumPacketSize);

        [LoggerMessage(EventId = 1027, Level = LogLevel.Information, Message = "MQTT connection {EndPoint} refused: client id '{ClientId}' has a session of another user than '{UserName}'.")]
        public static partial void SessionOwnedByOther(ILogger logger, string endPoint, string clientId, string userName);

        [LoggerMessage(EventId = 1028, Level = LogLevel.Debug, Message = "MQTT client '{ClientId}' (user '{UserName}') may not subscribe to '{Filter}'; refused.")]
        public static partial void SubscribeDenied(ILogger logger, string clientId, string userName, string filter);

        [LoggerMessage(EventId = 1029, Level = LogLevel.Warning, Message = "MQTT connection {EndPoint} (client '{ClientId}'): a QoS 1/2 message could not be stored, so it is not acknowledged; connection closed for the client to re-send it: {Reason}")]
        public static partial void DeliveryFailed(ILogger logger, string endPoint, string clientId, string reason);
        // next free: 1030 (1040–1049: protocol conformance; next free there 1042)
    }
}
