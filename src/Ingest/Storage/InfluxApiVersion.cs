namespace Resilience.Ingest.Storage;

/// <summary>Which InfluxDB write endpoint the writer posts to.</summary>
public enum InfluxApiVersion
{
    /// <summary>The 1.x <c>/write</c> endpoint (db, rp, precision); also served by 2.x (v1 compatibility) and 3.x.</summary>
    V1,

    /// <summary>The 2.x <c>/api/v2/write</c> endpoint (org, bucket, token).</summary>
    V2,
}
