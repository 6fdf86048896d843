using System.Security.Cryptography;
using System.Text.Unicode;

namespace Resilience.Ingest.Pipeline;

/// <summary>A rejected message on its way to the dead-letter file (the payload is a copy: the original view dies).</summary>
/// <param name="Topic">The topic as received.</param>
/// <param name="Payload">A copy of the payload, or of its first <see cref="ExcerptBytes"/> bytes (<see cref="Create"/>).</param>
/// <param name="Reason">What was wrong, e.g. <c>malformed JSON at offset 17</c>.</param>
/// <param name="Code">The reason's stable code, e.g. <c>malformed_json</c>.</param>
/// <param name="ReceivedAt">The receive time.</param>
internal sealed record DeadLetter(string Topic, byte[] Payload, string Reason, string Code, DateTimeOffset ReceivedAt)
{
    /// <summary>Most payload bytes a dead letter keeps: 1 KiB (enough to see what went wrong).</summary>
    public const int ExcerptBytes = 1024;

    /// <summary>Most topic characters a dead letter keeps.</summary>
    public const int MaxTopicChars = 512;

    /// <summary>The whole payload's length in bytes (−1: <see cref="Payload"/> is the whole payload).</summary>
    public long OriginalLength { get; init; } = -1;

    /// <summary>Lowercase hex SHA-256 of the whole payload (null: computed from <see cref="Payload"/>).</summary>
    public string? Sha256 { get; init; }

    /// <summary>
    /// A dead letter keeping at most <see cref="ExcerptBytes"/> of <paramref name="payload"/> (cut at a UTF-8
    /// boundary when the payload is text) plus the whole payload's length and SHA-256, so a junk flood cannot fill
    /// memory or disk, and an operator can still match the record against a device's log.
    /// </summary>
    public static DeadLetter Create(string topic, ReadOnlySpan<byte> payload, string reason, string code, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(topic);
        int keep = Math.Min(payload.Length, ExcerptBytes);
        if (keep < payload.Length)
        {
            // Do not split a UTF-8 sequence: back off over continuation bytes (at most 3).
            int cut = keep;
            while (cut > keep - 4 && cut > 0 && (payload[cut] & 0xC0) == 0x80)
            {
                cut--;
            }

            if (Utf8.IsValid(payload[..cut]))
            {
                keep = cut;
            }
        }

        string shortTopic = topic.Length > MaxTopicChars ? topic[..MaxTopicChars] : topic;
        return new DeadLetter(shortTopic, payload[..keep].ToArray(), reason, code, receivedAt)
        {
            OriginalLength = payload.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(payload)),
        };
    }
}
