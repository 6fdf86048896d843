namespace Resilience.Silo.Tests.Support;

internal sealed record RecordedPoint(string Measurement, Dictionary<string, string> Tags, Dictionary<string, object> Fields, long TimestampNs);
