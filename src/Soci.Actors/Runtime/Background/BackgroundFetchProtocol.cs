using Soci.Actors.Runtime.Layers;

namespace Soci.Actors.Runtime.Background;

/// <summary>A newly resolved layer whose remaining spans should be fetched in the background. Local only.</summary>
public sealed record FetchInBackground(RuntimeLayer Layer);

/// <summary>The layer is being closed: stop fetching it. Local only.</summary>
public sealed record StopFetching(RuntimeLayer Layer);

/// <summary>An image got its first mount: stay silent for the silence period (signals coalesce).</summary>
public sealed record PauseBackgroundFetch : ISociMessage
{
    public static PauseBackgroundFetch Instance { get; } = new();
}

/// <summary>Published on the event stream when every span of a layer has been fetched (upstream #933).</summary>
public sealed record LayerFullyFetched(LayerKey Key, int Spans, long FetchedBytes) : ISociMessage;

/// <summary>Asks for the fetcher's state; answered with <see cref="BackgroundFetchStatus"/>.</summary>
public sealed record GetBackgroundFetchStatus : ISociMessage
{
    public static GetBackgroundFetchStatus Instance { get; } = new();
}

public sealed record BackgroundFetchStatus(int Queued, bool Paused, long SpansFetched, long Dropped) : ISociMessage;
