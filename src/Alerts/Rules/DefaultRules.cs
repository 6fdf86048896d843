namespace Resilience.Alerts.Rules;

/// <summary>
/// Rules every subject gets unless configuration replaces or disables them (docs/architecture.md, Alerts).
/// Rainfall bands are this project's defaults: DOMAIN.md §3.3 marks the official 18/2021 heavy-rain bands
/// unverified; the 24-h 100/200/400 mm steps follow the flash-flood bands quoted there.
/// </summary>
internal static class DefaultRules
{
    /// <summary>Sensor kind of water-level gauges.</summary>
    public const string WaterLevel = "water_level";

    /// <summary>Sensor kind of rain gauges.</summary>
    public const string Rain = "rain";

    /// <summary>Sensor kind of air-quality stations.</summary>
    public const string AirQuality = "air_quality";

    /// <summary>Sensor kind of weather stations.</summary>
    public const string Weather = "weather";

    /// <summary>Pseudo sensor kind of flood zones.</summary>
    public const string Zone = "zone";

    /// <summary>Quantity the zone grain feeds (its k-of-n level 0–3).</summary>
    public const string ZoneLevelQuantity = "zone_level";

    /// <summary>Quantity the air-quality grain feeds (its VN_AQI number).</summary>
    public const string AqiQuantity = "vn_aqi";

    /// <summary>The default rules of a sensor kind (fresh copies).</summary>
    public static List<AlertRuleOptions> For(string sensorKind)
    {
        var rules = new List<AlertRuleOptions>();
        switch (sensorKind)
        {
            case WaterLevel:
                rules.Add(new AlertRuleOptions
                {
                    Id = "water-level", Kind = RuleKind.Level, Quantity = "water_level", NameVi = "Mực nước", NameEn = "Water level",
                    ClearOffset = 0.1, ConsecutiveReadings = 2, ClearReadings = 3,
                });
                rules.Add(new AlertRuleOptions
                {
                    Id = "rate-of-rise", Kind = RuleKind.RateOfRise, Quantity = "water_level", NameVi = "Nước lên nhanh", NameEn = "Rapid rise",
                    Window = TimeSpan.FromHours(1), ConsecutiveReadings = 2, ClearReadings = 3,
                    Thresholds = [new ThresholdOptions { Severity = AlertSeverity.Warning, Value = 0.3, Clear = 0.15, Label = "0.3 m/h", NameVi = "Nước lên nhanh ≥ 0,3 m/h", NameEn = "Rising ≥ 0.3 m/h" }],
                });
                break;
            case Rain:
                rules.Add(new AlertRuleOptions
                {
                    Id = "heavy-rain", Kind = RuleKind.Rainfall, Quantity = "rainfall", NameVi = "Mưa lớn", NameEn = "Heavy rain",
                    ConsecutiveReadings = 1, ClearReadings = 2,
                    Thresholds =
                    [
                        Rainfall(AlertSeverity.Minor, 30, 1, "Mưa to (1 giờ ≥ 30 mm)", "Heavy rain (1 h ≥ 30 mm)"),
                        Rainfall(AlertSeverity.Warning, 50, 1, "Mưa rất to (1 giờ ≥ 50 mm)", "Very heavy rain (1 h ≥ 50 mm)"),
                        Rainfall(AlertSeverity.Warning, 50, 3, "Mưa rất to (3 giờ ≥ 50 mm)", "Very heavy rain (3 h ≥ 50 mm)"),
                        Rainfall(AlertSeverity.Severe, 100, 3, "Mưa đặc biệt to (3 giờ ≥ 100 mm)", "Extreme rain (3 h ≥ 100 mm)"),
                        Rainfall(AlertSeverity.Minor, 50, 24, "Mưa to (24 giờ ≥ 50 mm)", "Heavy rain (24 h ≥ 50 mm)"),
                        Rainfall(AlertSeverity.Warning, 100, 24, "Mưa rất to (24 giờ ≥ 100 mm)", "Very heavy rain (24 h ≥ 100 mm)"),
                        Rainfall(AlertSeverity.Severe, 200, 24, "Mưa đặc biệt to (24 giờ ≥ 200 mm)", "Extreme rain (24 h ≥ 200 mm)"),
                        Rainfall(AlertSeverity.Extreme, 400, 24, "Mưa cực lớn (24 giờ ≥ 400 mm)", "Exceptional rain (24 h ≥ 400 mm)"),
                    ],
                });
                break;
            case AirQuality:
                rules.Add(new AlertRuleOptions
                {
                    Id = "air-quality", Kind = RuleKind.AirQuality, Quantity = AqiQuantity, NameVi = "Chất lượng không khí", NameEn = "Air quality",
                    ConsecutiveReadings = 2, ClearReadings = 2,
                    Thresholds =
                    [
                        Aqi(AlertSeverity.Minor, 101, "Kém", "Poor"),
                        Aqi(AlertSeverity.Warning, 151, "Xấu", "Bad"),
                        Aqi(AlertSeverity.Severe, 201, "Rất xấu", "Very bad"),
                        Aqi(AlertSeverity.Extreme, 301, "Nguy hại", "Hazardous"),
                    ],
                });
                break;
            case Zone:
                rules.Add(new AlertRuleOptions
                {
                    Id = "zone-level", Kind = RuleKind.Zone, Quantity = ZoneLevelQuantity, NameVi = "Báo động lũ khu vực", NameEn = "Zone flood alarm",
                    Thresholds =
                    [
                        new ThresholdOptions { Severity = AlertSeverity.Minor, Value = 1, Clear = 0.5, Label = "I", NameVi = "Báo động I", NameEn = "Alarm level I" },
                        new ThresholdOptions { Severity = AlertSeverity.Warning, Value = 2, Clear = 1.5, Label = "II", NameVi = "Báo động II", NameEn = "Alarm level II" },
                        new ThresholdOptions { Severity = AlertSeverity.Severe, Value = 3, Clear = 2.5, Label = "III", NameVi = "Báo động III", NameEn = "Alarm level III" },
                    ],
                });
                return rules; // a zone has no offline/suspect rule of its own
            default:
                break;
        }

        rules.Add(new AlertRuleOptions
        {
            Id = "offline", Kind = RuleKind.Offline, NameVi = "Mất kết nối", NameEn = "Sensor offline",
            Thresholds = [new ThresholdOptions { Severity = AlertSeverity.Minor, Value = 1, Clear = 0.5, Label = "offline", NameVi = "Trạm mất kết nối", NameEn = "Sensor offline" }],
        });
        rules.Add(new AlertRuleOptions
        {
            Id = "suspect", Kind = RuleKind.Suspect, NameVi = "Dữ liệu nghi ngờ", NameEn = "Data suspect", ClearReadings = 3,
            Thresholds = [new ThresholdOptions { Severity = AlertSeverity.Info, Value = 1, Clear = 0.5, Label = "suspect", NameVi = "Dữ liệu nghi ngờ", NameEn = "Data suspect" }],
        });
        return rules;
    }

    private static ThresholdOptions Rainfall(AlertSeverity severity, double mm, int hours, string vi, string en) => new()
    {
        Severity = severity, Value = mm, Clear = mm * 0.8, Window = TimeSpan.FromHours(hours), Label = $"{hours}h", NameVi = vi, NameEn = en,
    };

    private static ThresholdOptions Aqi(AlertSeverity severity, double from, string vi, string en) => new()
    {
        Severity = severity, Value = from, Clear = from - 10, Label = vi, NameVi = $"Chất lượng không khí {vi}", NameEn = $"Air quality {en}",
    };
}
