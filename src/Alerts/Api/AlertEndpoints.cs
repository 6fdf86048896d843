using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilience.Alerts.Cap;
using Resilience.Alerts.Dispatch;
using Resilience.Alerts.Lifecycle;

namespace Resilience.Alerts.Api;

/// <summary>
/// The alerts HTTP API (docs/architecture.md, HTTP API shapes), CAP documents, the Atom feed and the SSE stream.
/// Anonymous readers get <see cref="AlertRecord.ForPublic"/> views (no operator names or notes); a signed-in
/// operator gets the full record.
/// </summary>
internal static class AlertEndpoints
{
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>Maps every alerts endpoint.</summary>
    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/alerts", ListAsync);
        endpoints.MapGet("/api/alerts/stream", StreamAsync);
        endpoints.MapGet("/api/alerts/{id:long}", GetAsync);
        endpoints.MapGet("/api/alerts/{id:long}/history", HistoryAsync);
        string writePolicy = endpoints.ServiceProvider.GetRequiredService<IOptions<AlertsOptions>>().Value.WritePolicy;
        endpoints.MapPost("/api/alerts/{id:long}/ack", (HttpContext context, long id, IAlertService alerts) => CommandAsync(context, id, alerts, resolve: false))
            .RequireAuthorization(writePolicy);
        endpoints.MapPost("/api/alerts/{id:long}/resolve", (HttpContext context, long id, IAlertService alerts) => CommandAsync(context, id, alerts, resolve: true))
            .RequireAuthorization(writePolicy);
        endpoints.MapGet("/alerts/feed.atom", FeedAsync);
        endpoints.MapGet("/alerts/{id:long}.cap", CapAsync);
        return endpoints;
    }

    /// <summary>True for a signed-in operator (any authenticated caller; the write policy decides who may act).</summary>
    private static bool IsOperator(HttpContext context) => context.User.Identity?.IsAuthenticated == true;

    private static async Task<IResult> ListAsync(HttpContext context, string? state, string? province, IAlertService alerts, CancellationToken cancellationToken)
    {
        bool activeOnly = state is null or "active";
        if (!activeOnly && state != "all")
        {
            return Results.Problem("state must be 'active' or 'all'.", statusCode: StatusCodes.Status400BadRequest);
        }

        IReadOnlyList<AlertRecord> list = await alerts.ListAsync(new AlertQuery(activeOnly, string.IsNullOrEmpty(province) ? null : province), cancellationToken);
        bool full = IsOperator(context);
        return Results.Json([.. list.Select(a => full ? a : a.ForPublic())], AlertJsonContext.Default.ListAlertRecord);
    }

    private static async Task<IResult> GetAsync(HttpContext context, long id, IAlertService alerts, CancellationToken cancellationToken)
    {
        AlertRecord? alert = await alerts.GetAsync(id, cancellationToken);
        return alert is null ? Results.NotFound() : Results.Json(IsOperator(context) ? alert : alert.ForPublic(), AlertJsonContext.Default.AlertRecord);
    }

    private static async Task<IResult> HistoryAsync(HttpContext context, long id, IAlertService alerts, CancellationToken cancellationToken)
    {
        IReadOnlyList<AlertEvent> history = await alerts.HistoryAsync(id, cancellationToken);
        bool full = IsOperator(context);
        return history.Count == 0 ? Results.NotFound() : Results.Json([.. history.Select(e => full ? e : e.ForPublic())], AlertJsonContext.Default.ListAlertEvent);
    }

    private static async Task<IResult> CommandAsync(HttpContext context, long id, IAlertService alerts, bool resolve)
    {
        AlertCommand? command;
        try
        {
            command = await JsonSerializer.DeserializeAsync(context.Request.Body, AlertJsonContext.Default.AlertCommand, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.Problem($"Invalid JSON: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        // A logged-in operator acts under their own name (the audit trail must not take a name from the body);
        // `by` in the body names the actor only where the write policy lets unauthenticated callers through.
        string? by = context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user } ? user : command?.By;
        if (string.IsNullOrWhiteSpace(by) || command is null)
        {
            return Results.Problem("'by' is required.", statusCode: StatusCodes.Status400BadRequest);
        }

        AlertCommandResult result = resolve
            ? await alerts.ResolveAsync(id, by, command.Note, command.Mistaken, context.RequestAborted)
            : await alerts.AcknowledgeAsync(id, by, command.Note, context.RequestAborted);
        return result.Status switch
        {
            AlertCommandStatus.NotFound => Results.NotFound(),
            AlertCommandStatus.Closed => Results.Json(result.Alert!, AlertJsonContext.Default.AlertRecord, statusCode: StatusCodes.Status409Conflict),
            _ => Results.Json(result.Alert!, AlertJsonContext.Default.AlertRecord),
        };
    }

    private static async Task<IResult> CapAsync(HttpContext context, long id, int? version, CapPublisher cap, PublicBaseUrl baseUrl)
    {
        byte[]? document = await cap.DocumentAsync(id, version, baseUrl.Value, context.RequestAborted);
        return document is null ? Results.NotFound() : Results.Bytes(document, "application/cap+xml; charset=utf-8");
    }

    private static async Task<IResult> FeedAsync(HttpContext context, CapPublisher cap, PublicBaseUrl baseUrl)
    {
        byte[] feed = await cap.FeedAsync(baseUrl.Value, context.RequestAborted);
        return Results.Bytes(feed, "application/atom+xml; charset=utf-8");
    }

    /// <summary>
    /// Server-Sent Events: event "alert" (or "notice") with data = the alert JSON. The id is a resume mark, not the
    /// entry's own number: every audit entry up to it has been sent on this stream (or was missing for longer than the
    /// grace window). With entries in sequence order it equals the entry's number; when a number is late (another
    /// silo's commit), the id stays below it until it arrives. With a Last-Event-ID header (or ?lastEventId=) the
    /// entries after that mark are replayed from the audit trail first, so a late entry is never skipped; an entry the
    /// client already had may come again.
    /// </summary>
    private static async Task StreamAsync(HttpContext context)
    {
        AlertStreamHub hub = context.RequestServices.GetRequiredService<AlertStreamHub>();
        AlertService alerts = context.RequestServices.GetRequiredService<AlertService>();
        CancellationToken cancellationToken = context.RequestAborted;
        HttpResponse response = context.Response;
        string address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        AlertStreamAdmission admission = hub.TrySubscribe(address, out AlertStreamSubscription? admitted);
        if (admission != AlertStreamAdmission.Admitted)
        {
            // Refused before any stream starts: EventSource retries after Retry-After, and the console falls back to polling.
            response.StatusCode = admission == AlertStreamAdmission.Full ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = "30";
            return;
        }

        bool full = IsOperator(context);
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        using AlertStreamSubscription subscription = admitted!; // subscribed before the replay, so nothing falls in between
        string? lastId = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : context.Request.Query["lastEventId"].ToString();
        long last = long.TryParse(lastId, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) ? parsed : -1;
        long resumedAfter = last;

        // Live events are not all in sequence order (in a cluster, another silo's commit can become visible after a
        // later one), so the live part skips only what the client already has: numbers up to its Last-Event-ID, and
        // the entries the replay wrote (the latest 1024 of them are remembered; the overlap is what committed while
        // the replay ran, so anything older counts as replayed).
        var replayed = new SortedSet<long>();
        long replayFloor = -1;
        long mark = Math.Max(last, -1); // the id sent: every entry up to it is on this stream (or was before it)
        await response.WriteAsync(": resilience alerts\n\n", cancellationToken);
        if (last >= 0)
        {
            while (true)
            {
                IReadOnlyList<AlertEvent> missed = alerts.EventsAfter(last, 500);
                foreach (AlertEvent entry in missed)
                {
                    // The mark moves only over a contiguous run: a number missing from the replay may be a late commit.
                    if (entry.Seq == mark + 1)
                    {
                        mark = entry.Seq;
                    }

                    await WriteEventAsync(response, mark, entry.Action == "notice" ? "notice" : "alert", AlertStore.Serialize(full ? entry.Alert : entry.Alert.ForPublic()), cancellationToken);
                    last = entry.Seq;
                    replayed.Add(entry.Seq);
                    if (replayed.Count > 1024)
                    {
                        replayFloor = replayed.Min;
                        replayed.Remove(replayFloor);
                    }
                }

                if (missed.Count < 500)
                {
                    break;
                }
            }
        }

        await response.Body.FlushAsync(cancellationToken);
        var reader = subscription.Channel.Reader;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                heartbeat.CancelAfter(s_heartbeat);
                bool available;
                try
                {
                    available = await reader.WaitToReadAsync(heartbeat.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": heartbeat\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (!available)
                {
                    break; // too slow: the hub dropped us; the client resumes with Last-Event-ID
                }

                while (reader.TryRead(out AlertStreamEvent? streamEvent))
                {
                    long seq = streamEvent.Seq;
                    if (seq > resumedAfter && seq > replayFloor && !replayed.Contains(seq))
                    {
                        // Everything up to the event's settled mark reached the hub before it, so it is on this stream
                        // now (queued in publish order, or replayed, or before this client's start).
                        mark = Math.Max(mark, streamEvent.Settled >= 0 ? streamEvent.Settled : seq);
                        await WriteEventAsync(response, mark, streamEvent.Name, full ? streamEvent.Json : streamEvent.PublicJson, cancellationToken);
                    }
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static Task WriteEventAsync(HttpResponse response, long id, string name, string json, CancellationToken cancellationToken)
    {
        var text = new StringBuilder(json.Length + 48);
        text.Append("id: ").Append(id.ToString(CultureInfo.InvariantCulture)).Append("\nevent: ").Append(name).Append("\ndata: ").Append(json).Append("\n\n");
        return response.WriteAsync(text.ToString(), cancellationToken);
    }
}
