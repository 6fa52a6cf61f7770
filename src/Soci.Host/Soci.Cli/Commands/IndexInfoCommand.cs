using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Soci.Actors.Artifacts;
using Soci.Actors.Registry;

namespace Soci.Cli.Commands;

/// <summary><c>soci index info &lt;digest&gt;</c> (cli.md §6): the index JSON from the content store, indented by two spaces.</summary>
public static class IndexInfoCommand
{
    public static Command Create()
    {
        var digest = new Argument<string>("digest") { Description = "SOCI index digest" };
        var command = new Command("info", "display a SOCI index") { digest };
        command.SetAction((parseResult, cancellationToken) => ZtocCommandErrors.RunAsync(parseResult, async () =>
        {
            var wanted = ContentDigest.Parse(parseResult.GetValue(digest)!);
            using var session = CliSession.Open(parseResult, cancellationToken);
            var entry = session.Artifacts.Database.Get(wanted) ?? throw new ArtifactStoreException($"the index of the digest {wanted} doesn't exist");
            if (entry.Type == ArtifactEntry.ZtocType)
            {
                throw new ArtifactStoreException("the provided digest is of ztoc not SOCI index. Use \"soci ztoc info\" command to get detailed info of ztoc");
            }

            var bytes = await session.Artifacts.Store.TryReadAsync(wanted, session.Token).ConfigureAwait(false)
                        ?? throw new ArtifactStoreException($"soci index {wanted}: not found in the {session.Artifacts.Store.Kind} content store");
            await session.Output.WriteAsync(Indent(bytes) + "\n").ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Re-indents like Go's json.Indent: key order and string contents kept, two spaces per level.</summary>
    private static string Indent(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
