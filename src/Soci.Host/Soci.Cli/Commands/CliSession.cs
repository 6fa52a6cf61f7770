using System.CommandLine;
using Soci.Actors.Artifacts;

namespace Soci.Cli.Commands;

/// <summary>
/// What a command that works on local SOCI state gets from the global flags (cli.md §0): the root (created 0700 if
/// missing), the artifacts database and content store in it, containerd on demand, and a cancellation token bounded
/// by <c>--timeout</c> when one is given.
/// </summary>
internal sealed class CliSession : IDisposable
{
    private readonly CancellationTokenSource _deadline;

    private CliSession(LocalArtifacts artifacts, CancellationTokenSource deadline, ParseResult parseResult)
    {
        Artifacts = artifacts;
        _deadline = deadline;
        Output = parseResult.InvocationConfiguration.Output;
        Error = parseResult.InvocationConfiguration.Error;
    }

    public LocalArtifacts Artifacts { get; }

    public CancellationToken Token => _deadline.Token;

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public static CliSession Open(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var deadline = Deadline(parseResult, cancellationToken);
        try
        {
            var artifacts = LocalArtifacts.Open(
                parseResult.GetValue(GlobalOptions.Root)!,
                parseResult.GetValue(GlobalOptions.ContentStore)!,
                parseResult.GetValue(GlobalOptions.Address)!,
                parseResult.GetValue(GlobalOptions.Namespace)!);
            return new CliSession(artifacts, deadline, parseResult);
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    /// <summary>A token cancelled by the caller or, with <c>--timeout &gt; 0</c>, when the timeout elapses.</summary>
    public static CancellationTokenSource Deadline(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var timeout = parseResult.GetValue(GlobalOptions.Timeout) is { Length: > 0 } text ? GoDuration.Parse(text) : TimeSpan.Zero;
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero)
        {
            source.CancelAfter(timeout);
        }

        return source;
    }

    public void Dispose()
    {
        Artifacts.Dispose();
        _deadline.Dispose();
    }
}
