using System.Globalization;
using System.Text.Json;

namespace Resilience.IntegrationTests.EndToEnd;

/// <summary>Reads the real silo's HTTP API and <c>/metrics</c>.</summary>
internal sealed class SiloHttp(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GETs <paramref name="path"/> and parses the JSON answer (which must be 200).</summary>
    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.IsSuccessStatusCode.Should().BeTrue($"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>The sum of every series of the Prometheus metric <paramref name="metric"/> (0 when absent).</summary>
    public async Task<long> MetricAsync(string metric, CancellationToken cancellationToken)
    {
        string text = await _http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
        long sum = 0;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > metric.Length && line.StartsWith(metric, StringComparison.Ordinal) && line[metric.Length] is ' ' or '{')
            {
                string value = line[(line.LastIndexOf(' ') + 1)..];
                sum += (long)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
