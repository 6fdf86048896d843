namespace Resilience.Ingest.Pipeline;

/// <summary>A rejected message on its way to the dead-letter file (the payload is a copy: the original view dies).</summary>
/// <param name="Topic">The topic as received.</param>
/// <param name="Payload">A copy of the payload.</param>
/// <param name="Reason">What was wrong, e.g. <c>malformed JSON at offset 17</c>.</param>
/// <param name="Code">The reason's stable code, e.g. <c>malformed_json</c>.</param>
/// <param name="ReceivedAt">The receive time.</param>
internal sealed record DeadLetter(string Topic, byte[] Payload, string Reason, string Code, DateTimeOffset ReceivedAt);
