namespace Soci.Actors.Registry.Transport;

/// <summary>What an exchange is about, for error messages: e.g. <c>GET blob 127.0.0.1:5000/app@sha256:…</c>.</summary>
public readonly record struct OperationTarget(string Action, string Host, string Repository, string Subject)
{
    public override string ToString() => $"{Action} {Host}/{Repository}{(Subject.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":")}{Subject}";
}
