using Akka.Actor;
using Akka.Event;

namespace Soci.Actors.Runtime.Contexts;

/// <summary>
/// The SOCI context of one image (snapshotter.md §6.1 step 3): the first request starts the one index-and-ztoc
/// fetch; requests arriving meanwhile wait for it; the outcome, a failure included, is kept and given to every
/// later request without touching the registry again.
/// </summary>
public sealed class SociContextActor : ReceiveActor
{
    private readonly ISociArtifactFetcher _fetcher;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _waiting = [];
    private readonly CancellationTokenSource _stopping = new();

    public SociContextActor(ISociArtifactFetcher fetcher)
    {
        _fetcher = fetcher;
        Idle();
    }

    public static Props Props(ISociArtifactFetcher fetcher) => Akka.Actor.Props.Create(() => new SociContextActor(fetcher));

    private void Idle() =>
        Receive<GetSociContext>(request =>
        {
            _waiting.Add(Sender);
            var key = request.ContextKey;
            _fetcher.FetchAsync(request.Image, _stopping.Token).PipeTo(
                Self,
                success: context => new SociContextReady(context),
                failure: error => new SociContextFailed(key, Describe(error)));
            Become(Fetching);
        });

    private void Fetching()
    {
        Receive<GetSociContext>(_ => _waiting.Add(Sender));
        Receive<SociContextReady>(ready =>
        {
            _log.Info("SOCI context of {0}: index {1} with {2} ztocs", ready.Context.Reference, ready.Context.IndexDigest, ready.Context.Ztocs.Count);
            Answer(ready);
            Become(() => Receive<GetSociContext>(_ => Sender.Tell(ready)));
        });
        Receive<SociContextFailed>(failed =>
        {
            _log.Warning("no valid SOCI index for {0}: {1}", failed.ContextKey, failed.Reason);
            Answer(failed);
            Become(() => Receive<GetSociContext>(_ => Sender.Tell(failed)));
        });
    }

    private void Answer(object outcome)
    {
        foreach (var waiter in _waiting)
        {
            waiter.Tell(outcome);
        }

        _waiting.Clear();
    }

    private static string Describe(Exception error) => error is AggregateException { InnerException: { } inner } ? inner.Message : error.Message;

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
