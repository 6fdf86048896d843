using System.Globalization;
using Resilience.Alerts.Rules;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Resilience.Silo.Registry;

/// <summary>Parses and validates the registry YAML; every problem is reported, not only the first.</summary>
internal static class RegistryLoader
{
    private static readonly IDeserializer s_deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    public static SensorRegistry LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new RegistryException(path, [$"cannot read the file: {ex.Message}"]);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new RegistryException(path, [$"cannot read the file: {ex.Message}"]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates registry YAML; throws <see cref="RegistryException"/> listing every error.</summary>
    public static SensorRegistry Parse(string yaml, string source)
    {
        RegistryDocument? doc;
        try
        {
            doc = s_deserializer.Deserialize<RegistryDocument>(yaml);
        }
        catch (YamlException ex)
        {
            throw new RegistryException(source, [$"YAML error at line {ex.Start.Line}, column {ex.Start.Column}: {(ex.InnerException ?? ex).Message}"]);
        }

        doc ??= new RegistryDocument();
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);

        var provinces = new List<ProvinceInfo>();
        foreach (RegistryDocument.ProvinceDoc p in doc.Provinces ?? [])
        {
            if (!CheckId(p.Id, "province", ids, errors))
            {
                continue;
            }

            provinces.Add(new ProvinceInfo(p.Id!, p.Name ?? p.Id!));
        }

        var provinceIds = provinces.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var zoneDocs = new List<RegistryDocument.ZoneDoc>();
        foreach (RegistryDocument.ZoneDoc z in doc.Zones ?? [])
        {
            if (!CheckId(z.Id, "zone", ids, errors))
            {
                continue;
            }

            if (z.Province is null || !provinceIds.Contains(z.Province))
            {
                errors.Add($"zone '{z.Id}': unknown province '{z.Province}'");
            }

            if (z.Polygon is { Count: > 0 } ring)
            {
                if (ring.Count < 4 || ring.Any(pt => pt.Count != 2) || ring[0][0] != ring[^1][0] || ring[0][1] != ring[^1][1])
                {
                    errors.Add($"zone '{z.Id}': polygon must be a closed ring of at least 4 [lat, lon] points");
                }
                else if (ring.Any(pt => pt[0] is < -90 or > 90 || pt[1] is < -180 or > 180))
                {
                    errors.Add($"zone '{z.Id}': polygon point outside lat/lon range");
                }
            }

            if (z.KOfN is < 1)
            {
                errors.Add($"zone '{z.Id}': kOfN must be at least 1");
            }

            zoneDocs.Add(z);
        }

        var zoneById = zoneDocs.Where(z => z.Id is not null).ToDictionary(z => z.Id!, StringComparer.Ordinal);
        var sensors = new List<SensorInfo>();
        foreach (RegistryDocument.SensorDoc s in doc.Sensors ?? [])
        {
            if (!CheckId(s.Id, "sensor", ids, errors))
            {
                continue;
            }

            string where = $"sensor '{s.Id}'";
            if (s.Province is null || !provinceIds.Contains(s.Province))
            {
                errors.Add($"{where}: unknown province '{s.Province}'");
            }

            SensorKind? kind = s.Kind switch
            {
                "water_level" => SensorKind.WaterLevel,
                "rain" => SensorKind.Rain,
                "air_quality" => SensorKind.AirQuality,
                "weather" => SensorKind.Weather,
                _ => null,
            };
            if (kind is null)
            {
                errors.Add($"{where}: unknown kind '{s.Kind}' (water_level, rain, air_quality or weather)");
                continue;
            }

            if (s.Zone is not null)
            {
                if (!zoneById.TryGetValue(s.Zone, out RegistryDocument.ZoneDoc? zone))
                {
                    errors.Add($"{where}: unknown zone '{s.Zone}'");
                }
                else if (!string.Equals(zone.Province, s.Province, StringComparison.Ordinal))
                {
                    errors.Add($"{where}: zone '{s.Zone}' is in province '{zone.Province}', not '{s.Province}'");
                }
            }
            else if (kind is SensorKind.WaterLevel or SensorKind.Rain)
            {
                errors.Add($"{where}: a {s.Kind} sensor must name its zone");
            }

            if (s.Lat is null or < -90 or > 90 || s.Lon is null or < -180 or > 180)
            {
                errors.Add($"{where}: lat/lon missing or out of range");
            }

            if (s.ReportingIntervalSeconds is < 1 or > 86_400)
            {
                errors.Add($"{where}: reportingIntervalSeconds must be 1–86400");
            }

            AlarmLevels? alarms = null;
            if (kind == SensorKind.WaterLevel)
            {
                RegistryDocument.AlarmDoc? a = s.AlarmLevels;
                double?[] known = a is null ? [] : new[] { a.I, a.II, a.III }.Where(v => v is not null).ToArray();
                if (a is null || known.Length == 0)
                {
                    errors.Add($"{where}: a water-level gauge needs alarmLevels (at least one of I, II, III; null where unknown)");
                }
                else if (known.Zip(known.Skip(1)).Any(p => !(p.First < p.Second)))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: alarm levels must increase (I < II < III), got {Text(a.I)}, {Text(a.II)}, {Text(a.III)}"));
                }
                else if (known.Any(v => !double.IsFinite(v!.Value)))
                {
                    errors.Add($"{where}: alarm levels must be finite numbers");
                }
                else if (string.IsNullOrWhiteSpace(a.Source))
                {
                    errors.Add($"{where}: alarmLevels need a source");
                }
                else if (a.Verified == true && known.Length < 3)
                {
                    errors.Add($"{where}: alarmLevels cannot be verified while a level is unknown (null)");
                }
                else
                {
                    alarms = new AlarmLevels(a.I, a.II, a.III, a.Source, a.Verified ?? false);
                }
            }
            else if (s.AlarmLevels is not null)
            {
                errors.Add($"{where}: only water_level sensors have alarmLevels");
            }

            QualityLimits? given = s.Limits is null
                ? null
                : new QualityLimits(s.Limits.HardMin, s.Limits.HardMax, s.Limits.MaxRisePerHour, s.Limits.FlatLineMinutes);
            if (given is { HardMin: { } min, HardMax: { } max } && min >= max)
            {
                errors.Add($"{where}: limits.hardMin must be below limits.hardMax");
            }

            sensors.Add(new SensorInfo(
                s.Id!,
                s.Province ?? string.Empty,
                kind.Value,
                s.Name ?? s.Id!,
                s.Area ?? string.Empty,
                s.Zone,
                s.Lat ?? 0,
                s.Lon ?? 0,
                s.ReportingIntervalSeconds ?? 60,
                alarms,
                QualityLimits.Merge(given, kind.Value))
            {
                Ordinal = sensors.Count,
            });
        }

        var zones = new List<ZoneInfo>();
        foreach (RegistryDocument.ZoneDoc z in zoneDocs)
        {
            var gauges = sensors.Where(s => s.Kind == SensorKind.WaterLevel && string.Equals(s.Zone, z.Id, StringComparison.Ordinal)).Select(s => s.Id).ToArray();
            int k = z.KOfN ?? 1;
            if (gauges.Length > 0 && k > gauges.Length)
            {
                errors.Add($"zone '{z.Id}': kOfN {k} exceeds its {gauges.Length} water-level gauge(s)");
            }

            double[][] polygon = (z.Polygon ?? []).Select(p => p.ToArray()).ToArray();
            zones.Add(new ZoneInfo(z.Id!, z.Province ?? string.Empty, z.Name ?? z.Id!, z.Area ?? string.Empty, polygon, k, gauges));
        }

        if (errors.Count > 0)
        {
            throw new RegistryException(source, errors);
        }

        return new SensorRegistry(provinces, zones, sensors, source);
    }

    private static string Text(double? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null";

    private static bool CheckId(string? id, string what, HashSet<string> seen, List<string> errors)
    {
        if (!IsValidId(id))
        {
            errors.Add($"{what} id '{id}' must match [a-z0-9-]{{1,64}}");
            return false;
        }

        if (!seen.Add(id!))
        {
            errors.Add($"duplicate id '{id}' ({what})");
            return false;
        }

        return true;
    }

    /// <summary>True when <paramref name="id"/> matches <c>[a-z0-9-]{1,64}</c>.</summary>
    public static bool IsValidId(ReadOnlySpan<char> id)
    {
        if (id.Length is < 1 or > 64)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidId(string? id) => id is not null && IsValidId(id.AsSpan());
}
