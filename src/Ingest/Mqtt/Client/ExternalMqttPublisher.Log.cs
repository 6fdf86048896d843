using Microsoft.Extensions.Logging;

namespace Resilience.Ingest.Mqtt.Client;

public sealed partial class ExternalMqttPublisher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1270, Level = LogLevel.Warning, Message = "The external MQTT broker refused a publish on {Topic}: {Reason}.")]
        public static partial void Refused(ILogger logger, string topic, string reason);

        // next free: 1271
    }
}
