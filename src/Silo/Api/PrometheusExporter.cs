using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Resilience.Silo.Api;

/// <summary>
/// Collects every instrument of the meters named <c>Resilience.*</c> (the grains' now, the other areas' once
/// merged) and renders them in the Prometheus text format for <c>/metrics</c>: counters as <c>_total</c>,
/// gauges as their last value, histograms with fixed buckets.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] s_buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument, string), Series> _series = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Resilience", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>Renders all series.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var sb = new StringBuilder();
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (IGrouping<string, KeyValuePair<(Instrument, string), Series>> group in _series.GroupBy(kv => Name(kv.Key.Item1)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Instrument instrument = group.First().Key.Item1;
            string name = group.Key;
            string kind = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
                Histogram<long> or Histogram<double> or Histogram<int> => "histogram",
                _ => "gauge",
            };
            string metric = kind == "counter" ? name + "_total" : name;
            if (typed.Add(metric))
            {
                if (!string.IsNullOrEmpty(instrument.Description))
                {
                    sb.Append("# HELP ").Append(metric).Append(' ').Append(instrument.Description).Append('\n');
                }

                sb.Append("# TYPE ").Append(metric).Append(' ').Append(kind).Append('\n');
            }

            foreach (KeyValuePair<(Instrument, string), Series> kv in group)
            {
                string labels = kv.Key.Item2;
                Series s = kv.Value;
                lock (s)
                {
                    if (kind == "histogram")
                    {
                        long cumulative = 0;
                        for (int b = 0; b < s_buckets.Length; b++)
                        {
                            cumulative += s.Buckets[b];
                            sb.Append(metric).Append("_bucket{").Append(labels).Append(labels.Length > 0 ? "," : string.Empty)
                              .Append("le=\"").Append(s_buckets[b].ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(cumulative).Append('\n');
                        }

                        sb.Append(metric).Append("_bucket{").Append(labels).Append(labels.Length > 0 ? "," : string.Empty).Append("le=\"+Inf\"} ").Append(s.Count).Append('\n');
                        sb.Append(metric).Append("_sum").Append(Braces(labels)).Append(' ').Append(s.Sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                        sb.Append(metric).Append("_count").Append(Braces(labels)).Append(' ').Append(s.Count).Append('\n');
                    }
                    else
                    {
                        sb.Append(metric).Append(Braces(labels)).Append(' ').Append(s.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }

        return sb.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string labels = tags.Length == 0 ? string.Empty : Labels(tags);
        Series s = _series.GetOrAdd((instrument, labels), static _ => new Series());
        lock (s)
        {
            switch (instrument)
            {
                case Counter<long> or Counter<int> or Counter<double>:
                    s.Value += value;
                    break;
                case Histogram<long> or Histogram<double> or Histogram<int>:
                    s.Count++;
                    s.Sum += value;
                    int b = Array.BinarySearch(s_buckets, value);
                    b = b < 0 ? ~b : b;
                    if (b < s_buckets.Length)
                    {
                        s.Buckets[b]++;
                    }

                    break;
                default:
                    s.Value = value;
                    break;
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sb = new StringBuilder();
        foreach (KeyValuePair<string, object?> t in tags)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            string v = Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            sb.Append(Sanitize(t.Key)).Append("=\"").Append(v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
        }

        return sb.ToString();
    }

    private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

    private static string Name(Instrument instrument)
    {
        string name = Sanitize(instrument.Name);
        return instrument.Unit is { Length: > 0 } unit && !name.EndsWith("_" + unit, StringComparison.Ordinal) ? name + "_" + Sanitize(unit) : name;
    }

    private static string Sanitize(string s)
    {
        var chars = s.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private sealed class Series
    {
        public double Value { get; set; }

        public double Sum { get; set; }

        public long Count { get; set; }

        public long[] Buckets { get; } = new long[s_buckets.Length];
    }
}
