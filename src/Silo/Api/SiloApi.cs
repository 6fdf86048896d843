using Resilience.Ingest.Health;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Grains;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Api;

/// <summary>The silo's JSON API (docs/architecture.md, HTTP API shapes), <c>/health</c> and <c>/metrics</c>.</summary>
internal static class SiloApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSiloApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sensors", ListSensorsAsync);
        app.MapGet("/api/sensors/{id}", GetSensorAsync);
        app.MapGet("/api/zones", ListZonesAsync);
        app.MapGet("/api/zones/{id}", GetZoneAsync);
        app.MapGet("/api/air-quality", ListAirQualityAsync);
        app.MapGet("/health", Health);
        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }

    private static async Task<IResult> ListSensorsAsync(IGrainFactory grains, RegistryProvider registry, string? province, string? kind, CancellationToken ct)
    {
        var tasks = new List<Task<SensorView?>>();
        foreach (SensorInfo s in registry.Current.Sensors)
        {
            if ((province is null || string.Equals(s.Province, province, StringComparison.Ordinal)) && (kind is null || string.Equals(s.KindName, kind, StringComparison.Ordinal)))
            {
                tasks.Add(grains.GetGrain<ISensorGrain>(s.Id).GetViewAsync(includeHistory: false, ct).AsTask());
            }
        }

        SensorView?[] views = await Task.WhenAll(tasks);
        return Results.Ok(views.Where(v => v is not null));
    }

    private static async Task<IResult> GetSensorAsync(string id, IGrainFactory grains, RegistryProvider registry, CancellationToken ct)
    {
        if (!registry.Current.TryGetSensor(id, out SensorInfo? sensor))
        {
            return Results.NotFound(new { error = $"unknown sensor '{id}'" });
        }

        SensorView? view = await grains.GetGrain<ISensorGrain>(sensor.Id).GetViewAsync(includeHistory: true, ct);
        return view is null ? Results.NotFound() : Results.Ok(view);
    }

    private static async Task<IResult> ListZonesAsync(IGrainFactory grains, RegistryProvider registry, string? province, CancellationToken ct)
    {
        var tasks = new List<Task<ZoneView?>>();
        foreach (ZoneInfo z in registry.Current.Zones)
        {
            if (province is null || string.Equals(z.Province, province, StringComparison.Ordinal))
            {
                tasks.Add(grains.GetGrain<IFloodZoneGrain>(z.Id).GetViewAsync(ct).AsTask());
            }
        }

        ZoneView?[] views = await Task.WhenAll(tasks);
        return Results.Ok(views.Where(v => v is not null));
    }

    private static async Task<IResult> GetZoneAsync(string id, IGrainFactory grains, RegistryProvider registry, CancellationToken ct)
    {
        if (!registry.Current.ZonesById.TryGetValue(id, out ZoneInfo? zone))
        {
            return Results.NotFound(new { error = $"unknown zone '{id}'" });
        }

        ZoneView? view = await grains.GetGrain<IFloodZoneGrain>(zone.Id).GetViewAsync(ct);
        return view is null ? Results.NotFound() : Results.Ok(view);
    }

    private static async Task<IResult> ListAirQualityAsync(IGrainFactory grains, RegistryProvider registry, string? province, CancellationToken ct)
    {
        if (province is not null && !registry.Current.ProvincesById.ContainsKey(province))
        {
            return Results.NotFound(new { error = $"unknown province '{province}'" });
        }

        var tasks = new List<Task<AirQualityView?>>();
        foreach (SensorInfo s in registry.Current.Sensors)
        {
            if (s.Kind == SensorKind.AirQuality && (province is null || string.Equals(s.Province, province, StringComparison.Ordinal)))
            {
                tasks.Add(grains.GetGrain<IAirStationGrain>(s.Id).GetViewAsync(ct).AsTask());
            }
        }

        AirQualityView?[] views = await Task.WhenAll(tasks);
        return Results.Ok(views.Where(v => v is not null));
    }

    private static IResult Health(RegistryProvider registry, GrainRuntime runtime, IGrainStorage storage, Resilience.Ingest.Storage.IPointWriter writer, IEnumerable<IHealthContributor> contributors)
    {
        SensorRegistry r = registry.Current;
        bool grainsOk = !runtime.IsStopped;
        var components = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["registry"] = new { status = "ok", source = r.Source, provinces = r.Provinces.Count, zones = r.Zones.Count, sensors = r.Sensors.Count },
            ["grains"] = new { status = grainsOk ? "ok" : "stopping", active = runtime.ActivationCount, queueDepth = runtime.Metrics.QueueDepth },
            ["grainStorage"] = new { status = "ok", kind = storage.GetType().Name },
            ["pointWriter"] = new { status = "ok", kind = writer.GetType().Name },
        };

        // Contributions (IHealthContributor): disk space, commit failures …; the worst one sets the overall status.
        HealthStatus worst = HealthStatus.Ok;
        foreach (IHealthContributor contributor in contributors)
        {
            HealthContribution c = contributor.Check();
            worst = c.Status > worst ? c.Status : worst;
            components[c.Name] = new { status = StatusName(c.Status), detail = c.Detail, data = c.Data };
        }

        string status = !grainsOk ? "stopping" : StatusName(worst);
        object body = new { status, components };
        return grainsOk && worst != HealthStatus.Failing ? Results.Ok(body) : Results.Json(body, statusCode: 503);
    }

    private static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Ok => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "failing",
    };
}
