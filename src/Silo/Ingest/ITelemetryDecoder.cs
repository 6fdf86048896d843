using Resilience.Silo.Sensors;

namespace Resilience.Silo.Ingest;

/// <summary>
/// The one seam through which the silo turns a telemetry payload into a reading. The silo's minimal JSON decoder
/// stands in until the ingest pipeline's decoder (JSON and SenML, dead letters) is merged and adapted here.
/// </summary>
internal interface ITelemetryDecoder
{
    /// <summary>Decodes a payload; false with a reason for anything that is not a valid reading. Never throws.</summary>
    bool TryDecode(ReadOnlySpan<byte> payload, long receivedMs, out SensorReading? reading, out string? error);
}
