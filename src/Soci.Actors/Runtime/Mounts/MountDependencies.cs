using Akka.Actor;

namespace Soci.Actors.Runtime.Mounts;

/// <summary>
/// The actors a mount talks to: where SOCI contexts come from (and where it reports that its image got a mount)
/// and the layer resolver.
/// </summary>
public sealed record MountDependencies(IActorRef Contexts, IActorRef Resolver, RuntimeSettings Settings);
