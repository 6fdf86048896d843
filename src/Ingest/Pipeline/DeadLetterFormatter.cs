using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Resilience.Ingest.Pipeline;

/// <summary>
/// Writes one dead letter as a JSON line: <c>{"received","topic","reason","code","length","sha256","truncated",
/// "encoding","payload"}</c>, the payload (at most <see cref="DeadLetter.ExcerptBytes"/> of it when made by
/// <see cref="DeadLetter.Create"/>) as text when it is valid UTF-8 and as base64 otherwise; length and SHA-256 are
/// the whole payload's.
/// </summary>
internal static class DeadLetterFormatter
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends the line (with its trailing <c>\n</c>) to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, Utf8JsonWriter json, DeadLetter deadLetter)
    {
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("received"u8, deadLetter.ReceivedAt.UtcDateTime);
        json.WriteString("topic"u8, deadLetter.Topic);
        json.WriteString("reason"u8, deadLetter.Reason);
        json.WriteString("code"u8, deadLetter.Code);
        long length = deadLetter.OriginalLength >= 0 ? deadLetter.OriginalLength : deadLetter.Payload.Length;
        json.WriteNumber("length"u8, length);
        json.WriteString("sha256"u8, deadLetter.Sha256 ?? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(deadLetter.Payload)));
        json.WriteBoolean("truncated"u8, length > deadLetter.Payload.Length);
        if (Utf8.IsValid(deadLetter.Payload))
        {
            json.WriteString("encoding"u8, "utf8"u8);
            json.WriteString("payload"u8, s_strictUtf8.GetString(deadLetter.Payload));
        }
        else
        {
            json.WriteString("encoding"u8, "base64"u8);
            json.WriteBase64String("payload"u8, deadLetter.Payload);
        }

        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    /// <summary>The file name for a receive time: <c>ingest-YYYYMMDD.jsonl</c> (UTC date).</summary>
    public static string FileName(DateTimeOffset receivedAt) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ingest-{receivedAt.UtcDateTime:yyyyMMdd}.jsonl");
}
