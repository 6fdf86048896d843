using Resilience.Ingest.Health;
using Resilience.Silo.AirQuality;
using Resilience.Silo.Hosting;
using Resilience.Silo.Registry;
using Resilience.Silo.Sensors;
using Resilience.Silo.Zones;

namespace Resilience.Silo.Api;

/// <summary>
/// The silo's JSON API (docs/architecture.md, HTTP API shapes), <c>/health</c> and <c>/metrics</c>. Grains return
/// snapshots; the <c>…Views</c> classes here shape the JSON. Listing sensors reads <see cref="SensorSnapshotCache"/>
/// and activates no grain; one sensor's page asks its grain (with the last hour).
/// </summary>
internal static class SiloApi
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapSiloApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sensors", ListSensors);
        app.MapGet("/api/sensors/{id}", GetSensorAsync);
        app.MapGet("/api/zones", ListZonesAsync);
        app.MapGet("/api/zones/{id}", GetZoneAsync);
        app.MapGet("/api/air-quality", ListAirQualityAsync);
        app.MapGet("/health", Health);
        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }

    private static IResult ListSensors(SensorSnapshotCache snapshots, SiloServices services, RegistryProvider registry, string? province, string? kind)
    {
        long now = services.NowMs;
        var views = new List<SensorView>();
        foreach (SensorInfo s in registry.Current.Sensors)
        {
            if ((province is null || string.Equals(s.Province, province, StringComparison.Ordinal)) && (kind is null || string.Equals(s.KindName, kind, StringComparison.Ordinal)))
            {
                views.Add(SensorViews.Build(s, snapshots.Get(s.Id), now, services.StartedMs));
            }
        }

        return Results.Ok(views);
    }

    private static async Task<IResult> GetSensorAsync(string id, IGrainFactory grains, SiloServices services, RegistryProvider registry)
    {
        if (!registry.Current.TryGetSensor(id, out SensorInfo? sensor))
        {
            return Results.NotFound(new { error = $"unknown sensor '{id}'" });
        }

        SensorSnapshot? snapshot = await grains.GetGrain<ISensorGrain>(sensor.Id).GetSnapshotAsync(includeHistory: true);
        return snapshot is null ? Results.NotFound() : Results.Ok(SensorViews.Build(sensor, snapshot, services.NowMs, services.StartedMs));
    }

    private static async Task<IResult> ListZonesAsync(IGrainFactory grains, RegistryProvider registry, string? province)
    {
        SensorRegistry current = registry.Current;
        var zones = new List<ZoneInfo>();
        var tasks = new List<Task<ZoneSnapshot?>>();
        foreach (ZoneInfo z in current.Zones)
        {
            if (province is null || string.Equals(z.Province, province, StringComparison.Ordinal))
            {
                zones.Add(z);
                tasks.Add(grains.GetGrain<IFloodZoneGrain>(z.Id).GetSnapshotAsync().AsTask());
            }
        }

        ZoneSnapshot?[] snapshots = await Task.WhenAll(tasks);
        var views = new List<ZoneView>(zones.Count);
        for (int i = 0; i < zones.Count; i++)
        {
            if (snapshots[i] is { } snapshot)
            {
                views.Add(ZoneViews.Build(zones[i], snapshot, current));
            }
        }

        return Results.Ok(views);
    }

    private static async Task<IResult> GetZoneAsync(string id, IGrainFactory grains, RegistryProvider registry)
    {
        SensorRegistry current = registry.Current;
        if (!current.ZonesById.TryGetValue(id, out ZoneInfo? zone))
        {
            return Results.NotFound(new { error = $"unknown zone '{id}'" });
        }

        ZoneSnapshot? snapshot = await grains.GetGrain<IFloodZoneGrain>(zone.Id).GetSnapshotAsync();
        return snapshot is null ? Results.NotFound() : Results.Ok(ZoneViews.Build(zone, snapshot, current));
    }

    private static async Task<IResult> ListAirQualityAsync(IGrainFactory grains, RegistryProvider registry, SiloServices services, string? province)
    {
        SensorRegistry current = registry.Current;
        if (province is not null && !current.ProvincesById.ContainsKey(province))
        {
            return Results.NotFound(new { error = $"unknown province '{province}'" });
        }

        var stations = new List<SensorInfo>();
        var tasks = new List<Task<AirQualitySnapshot?>>();
        foreach (SensorInfo s in current.Sensors)
        {
            if (s.Kind == SensorKind.AirQuality && (province is null || string.Equals(s.Province, province, StringComparison.Ordinal)))
            {
                stations.Add(s);
                tasks.Add(grains.GetGrain<IAirStationGrain>(s.Id).GetSnapshotAsync().AsTask());
            }
        }

        AirQualitySnapshot?[] snapshots = await Task.WhenAll(tasks);
        var views = new List<AirQualityView>(stations.Count);
        for (int i = 0; i < stations.Count; i++)
        {
            if (snapshots[i] is { } snapshot)
            {
                views.Add(AirQualityViews.Build(stations[i], snapshot, services.NowMs));
            }
        }

        return Results.Ok(views);
    }

    private static IResult Health(RegistryProvider registry, GrainMetrics grains, SensorSnapshotCache snapshots, IHostApplicationLifetime lifetime, IServiceProvider services, Resilience.Ingest.Storage.IPointWriter writer, IEnumerable<IHealthContributor> contributors)
    {
        object? storage = services.GetKeyedService<Orleans.Storage.IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        SensorRegistry r = registry.Current;
        bool grainsOk = !lifetime.ApplicationStopping.IsCancellationRequested;
        var components = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["registry"] = new { status = "ok", source = r.Source, provinces = r.Provinces.Count, zones = r.Zones.Count, sensors = r.Sensors.Count },
            ["grains"] = new { status = grainsOk ? "ok" : "stopping", runtime = "orleans", active = grains.Active, sensorsListed = snapshots.Count },
            ["grainStorage"] = new { status = "ok", kind = storage?.GetType().Name ?? "none" },
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
