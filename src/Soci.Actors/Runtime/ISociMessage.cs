namespace Soci.Actors.Runtime;

/// <summary>
/// Marks the runtime's messages that can cross a process boundary (plain immutable data). Hyperion is bound to
/// this interface rather than to <see cref="object"/>, so Akka's own messages keep their serializers. Messages
/// that carry a live layer or session (local only) do not implement it.
/// </summary>
public interface ISociMessage;
