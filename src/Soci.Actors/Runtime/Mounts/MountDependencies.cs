using Akka.Actor;

namespace Soci.Actors.Runtime.Mounts;

/// <summary>The actors a mount talks to: where SOCI contexts come from, the layer resolver, the background fetcher.</summary>
public sealed record MountDependencies(IActorRef Contexts, IActorRef Resolver, IActorRef BackgroundFetcher, RuntimeSettings Settings);
