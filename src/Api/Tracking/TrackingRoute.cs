namespace CustomerGrains.Api.Tracking;

/// <summary>
/// Endpoint metadata of a tracking route: the largest body it reads (decoded), and whether the write key may come in
/// the query string (RudderStack's beacon transport: <c>/beacon/v1/batch?writeKey=…</c>, since <c>sendBeacon</c> can
/// set no header). Only routes carrying it take a write key from the body, and only with the ingest scope
/// (<see cref="TrackingBody"/>); only they answer CORS (<see cref="TrackingCors"/>).
/// </summary>
public sealed record TrackingRoute(int MaxBytes, bool KeyInQuery = false);
