using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Resilience.Ingest.Storage;

/// <summary>
/// Appends lines InfluxDB refused to <c>&lt;DataDirectory&gt;/deadletter/influx-yyyy-MM-dd.jsonl</c>, one JSON object per line:
/// <c>{"time": …, "status": 400, "error": "InfluxDB's text", "line": "the line protocol"}</c>.
/// </summary>
internal sealed class InfluxDeadLetterFile
{
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly TimeProvider _time;

    public InfluxDeadLetterFile(string directory, TimeProvider time)
    {
        _directory = directory;
        _time = time;
    }

    /// <summary>The directory holding the files.</summary>
    public string Directory => _directory;

    /// <summary>Appends one refused line (without its trailing newline) with InfluxDB's reason.</summary>
    public void Append(ReadOnlySpan<byte> line, int status, string? error)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", now);
            json.WriteNumber("status", status);
            json.WriteString("error", error);
            json.WriteString("line", Encoding.UTF8.GetString(line.TrimEnd((byte)'\n')));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        string path = Path.Combine(_directory, "influx-" + now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl");
        lock (_gate)
        {
            System.IO.Directory.CreateDirectory(_directory);
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            file.Flush(flushToDisk: true);
        }
    }
}
